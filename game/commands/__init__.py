"""One module per `cover-dance` subcommand; each exposes `register(subparsers)`."""

from __future__ import annotations

import argparse
from typing import Any, Protocol


class Subcommands(Protocol):
    """What `register` is given: `ArgumentParser.add_subparsers()`'s result, by what it does
    (argparse names its class only privately)."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...
