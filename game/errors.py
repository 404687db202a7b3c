"""The one error a user can fix: every layer raises it, the command line prints it as one line."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; printed as one line, no traceback."""
