"""Tuoyu (托育): an open platform for employer-provided childcare for children under 3."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tuoyu")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
