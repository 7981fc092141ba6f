"""Screens of the review app: the document queue, one document, help, confirm."""
