"""Extract: entities per paragraph, in one pass per extractor over the repaired text."""

from __future__ import annotations
