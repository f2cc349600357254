"""Errors a user can cause. Each names what went wrong and what to do about it."""

from __future__ import annotations


class ZhdocError(Exception):
    """Base class of every error zhdoc raises on purpose."""


class InputTooLargeError(ZhdocError):
    """The input exceeds the configured size limit (``zhdoc.limits.MAX_INPUT_CHARS``)."""


class DecodeError(ZhdocError):
    """The bytes could not be decoded as text in any supported encoding."""


class UnsupportedFormatError(ZhdocError):
    """The file format is not supported (legacy .doc, .wps, scanned PDF, binary data)."""


class UnsafeInputError(ZhdocError):
    """The file looks like a zip/XML bomb or is otherwise unsafe to open."""


class ModelNotFoundError(ZhdocError):
    """An optional model (e.g. HanLP) was asked for but is not available locally."""


class MissingDependencyError(ZhdocError):
    """An optional extra is needed and not installed (e.g. ``pip install 'zhdoc[dask]'``)."""


class ClusterError(ZhdocError):
    """The Dask cluster cannot be started or its scheduler cannot be reached."""
