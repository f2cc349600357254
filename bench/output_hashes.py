"""Hashes of zhdoc's outputs on every text the project can read: a refactor's witness.

A change meant to keep behaviour (the structure stage reshaped as a rule list, say) must leave
these hashes as they are. Two hashes per text: ``structure`` (``parse(text, extract=False)``:
report split, meta, section tree, diagnostics) and ``full`` (the whole Document with entities).
tests/test_output_hashes.py compares ``structure`` with tests/annotations/output_hashes.json;
``full`` is printed by ``--diff`` for a change that should keep the entities too.

    python bench/output_hashes.py --write   # store the current outputs as the reference
    python bench/output_hashes.py --diff    # name the texts whose outputs differ from it
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
STORED = ROOT / "tests" / "annotations" / "output_hashes.json"


def texts(root: Path = ROOT, shared: Path = SHARED) -> Iterator[tuple[str, str]]:
    """(name, text) for the samples, the seed and each record of the corpus files."""
    for path in sorted((root / "samples").glob("*.txt")):
        yield f"samples/{path.name}", path.read_text(encoding="utf-8")
    for path in sorted((shared / "seed").glob("*.txt")):
        yield f"seed/{path.name}", path.open(encoding="utf-8", newline="").read()
    for path in sorted((shared / "corpus").glob("*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            yield f"corpus/{path.name}:{i}", json.loads(line)["content"]


def digest(text: str, *, extract: bool) -> str:
    import zhdoc

    return hashlib.sha256(zhdoc.parse(text, extract=extract).json_bytes()).hexdigest()


def current(full: bool) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, text in texts():
        out[name] = {"structure": digest(text, extract=False)}
        if full:
            out[name]["full"] = digest(text, extract=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="store the current outputs as the reference")
    ap.add_argument("--diff", action="store_true", help="list texts whose outputs differ from the reference")
    args = ap.parse_args()
    now = current(full=True)
    if args.write:
        STORED.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {len(now)} texts to {STORED.relative_to(ROOT)}")
        return 0
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    changed = 0
    for name in sorted(set(now) | set(stored)):
        for kind in ("structure", "full"):
            if now.get(name, {}).get(kind) != stored.get(name, {}).get(kind):
                changed += 1
                print(f"{kind:9} differs: {name}")
    print(f"{changed} differences over {len(now)} texts")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
