"""Errors the user sees as one clear line (never a traceback)."""


class RepairError(Exception):
    """Base."""


class InputError(RepairError):
    """A file that cannot be read as a document; str() is a one-line reason for the user."""


class RuleError(RepairError):
    """A rule file that cannot be loaded or is invalid."""
