"""zhdoc.export."""

from typing import TextIO


def write_bytes(fh: TextIO, data: bytes) -> None:
    """Write UTF-8 ``data`` to the text stream ``fh`` through its byte buffer when it has one
    (files, stdout), in order with what was written as text before; else as text (a stream in
    another encoding, or utf-8-sig, whose encoder owes the file a byte-order mark)."""
    buffer = getattr(fh, "buffer", None)
    if buffer is None or (getattr(fh, "encoding", "") or "").lower().replace("-", "").replace("_", "") != "utf8":
        fh.write(data.decode("utf-8"))
        return
    fh.flush()
    buffer.write(data)
