"""Data tables shipped with zhdoc (installed as the ``zhdoc.models`` package). See DATA.md."""
