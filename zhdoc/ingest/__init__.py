"""zhdoc.ingest."""
