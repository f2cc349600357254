"""Explicit input limits. Past them zhdoc raises :class:`zhdoc.errors.InputTooLargeError`."""

from __future__ import annotations

#: Largest decoded text ``parse`` accepts, in characters (64 Mi). Raise it deliberately
#: (``zhdoc.parse(..., max_chars=...)`` / ``--max-chars``) for larger inputs.
MAX_INPUT_CHARS = 64 * 1024 * 1024

#: Largest file ``parse_file`` reads, in bytes.
MAX_INPUT_BYTES = 256 * 1024 * 1024
