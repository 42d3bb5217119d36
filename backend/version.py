"""The one version string: the installed package's, as pyproject.toml declares it."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def package_version() -> str:
    """The version of the installed `rounds` distribution (pyproject.toml's `version`)."""
    try:
        return version("rounds")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


VERSION = package_version()
