"""Shared command-line plumbing: one-line errors and exit code 2 for bad input."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from discretion.errors import EXIT_FAILED as EXIT_FAILED
from discretion.errors import EXIT_OK as EXIT_OK
from discretion.errors import EXIT_USAGE as EXIT_USAGE
from discretion.errors import InvalidInput

# Bad input from the user: one line on stderr, exit code 2 (the CLI's name for errors.InvalidInput).
UsageError = InvalidInput


class OneLineParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def fail_usage(message: str) -> int:
    """Print one line on stderr and return the usage exit code."""
    sys.stderr.write(f"discretion: error: {message}\n")
    return EXIT_USAGE


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
