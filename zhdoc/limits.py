"""Explicit input limits. Past them zhdoc raises :class:`zhdoc.errors.InputTooLargeError`."""

from __future__ import annotations

#: Largest decoded text ``parse`` accepts, in characters (64 Mi). Raise it deliberately
#: (``zhdoc.parse(..., max_chars=...)`` / ``--max-chars``) for larger inputs.
MAX_INPUT_CHARS = 64 * 1024 * 1024

#: Largest file ``parse_file`` reads, in bytes.
MAX_INPUT_BYTES = 256 * 1024 * 1024

#: Longest text ``render_html`` / ``zhdoc view`` turns into a page, in characters (4 Mi): the page
#: is some 10× the text's bytes, and a browser becomes unusable well before 100 MB of markup.
MAX_VIEW_CHARS = 4 * 1024 * 1024
