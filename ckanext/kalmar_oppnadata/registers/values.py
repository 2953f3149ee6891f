"""What a register's parser says about a value it refuses: a message to translate, and specifics."""
from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for translation; callers translate it when they show it."""
    return message


class InvalidValue(ValueError):
    """The value is not valid. ``message`` says why (an English msgid that callers translate);
    ``detail`` is untranslatable specifics (e.g. where a polygon crosses itself)."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(f"{message}: {detail}" if detail else message)
        self.message = message
        self.detail = detail
