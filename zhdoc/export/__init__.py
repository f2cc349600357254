"""zhdoc.export."""
