"""Explicit input limits. Past them zhdoc raises :class:`zhdoc.errors.InputTooLargeError`."""

from __future__ import annotations

#: Largest decoded text ``parse`` accepts, in characters (64 Mi). Raise it deliberately
#: (``zhdoc.parse(..., max_chars=...)`` / ``--max-chars``) for larger inputs.
MAX_INPUT_CHARS = 64 * 1024 * 1024

#: Largest file ``parse_file`` reads, in bytes.
MAX_INPUT_BYTES = 256 * 1024 * 1024

#: Longest text ``render_html`` / ``zhdoc view`` turns into a page, in characters (4 Mi): the page
#: takes about 2–3× the text's UTF-8 bytes (seed 79 KB for 4 387 characters, with the fixed
#: CSS/JS), and a browser scrolling tens of MB of highlighted markup becomes unusable.
MAX_VIEW_CHARS = 4 * 1024 * 1024
