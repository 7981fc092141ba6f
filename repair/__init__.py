"""repair: mend Chinese news documents whose layout broke, publish clean Markdown."""

__version__ = "0.1.0"
