"""Small widgets of the review app; each renders part of the session model."""
