"""Machine instructions per character: zhdoc against the baselines of issue 5, under callgrind.

Wall-clock ratios on this shared 2-core machine swing by ±50 % from one round to the next
(bench/results.md gives each ratio's range). An instruction count does not swing: the same code
on the same input executes the same instructions whatever else the machine is doing. This script
gives that second, repeatable view of the same comparison. Instructions are not seconds — one
instruction of the interpreter loop and one of a Rust or C library do not take equally long — so
it stands beside the wall-clock ratios of ``make bench``, it does not replace them.

Every contender reads the same text: the corpus and the seed once, perturbed as in ``make bench``
(the first copy of the bench input, 0.29 M characters; a shorter prefix holds only some of the
documents, and zhdoc's cost per character differs by document by up to 1.5×). Each one runs in a
fresh process under ``valgrind --tool=callgrind``, once set up only and once set up and run; the
difference is the cost of the run, without the imports, dictionary loading and warm-up.

zhdoc is counted twice: cold, as the first document a process parses, and warm, after a
differently perturbed copy of the same documents has filled its memos (word → part of speech,
numeral → value, line start → heading marker), which is what a batch and the timed rounds of
``make bench`` see. The baselines are counted after their own short warm-up only (spaCy's
vocabulary, for one, also grows as it reads new words).

Usage: ``python bench/instructions.py`` (``make bench-instructions``; about 15 minutes on 2 cores).
Writes bench/instructions.md.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"jieba": 5.0, "jionlp": 10.0, "spacy": 8.0}

#: One contender: setup (imports, warm-up) and the statement repeated ``reps`` times.
CHILD = r'''
import contextlib, datetime, io, sys
sys.path.insert(0, sys.argv[3])
from run import build_input, load_sources, paragraphs
name, reps = sys.argv[1], int(sys.argv[2])
sources = load_sources()
text = build_input(sources, 1)  # one copy of every document
paras = paragraphs(text)
if name.startswith("zhdoc"):
    import zhdoc
    # cold: only a page of the text parsed before (tables and dictionaries loaded); warm: first
    # another copy of every document, perturbed differently (the word and numeral memos filled,
    # as in a batch and in the timed rounds of `make bench`)
    zhdoc.parse(build_input(sources, 1, seed=6) if name == "zhdoc_warm" else text[:20_000]).json_bytes()
    run = lambda: zhdoc.parse(text).json_bytes()
elif name == "jieba":
    import jieba
    jieba.setLogLevel(60); jieba.initialize(); jieba.lcut(text[:2_000])
    run = lambda: jieba.lcut(text)
elif name == "spacy":
    import spacy
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    list(nlp.pipe(paras[:20]))
    run = lambda: [len(d) for d in nlp.pipe(paras)]
elif name == "jionlp":
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp as jio
    base = datetime.datetime(2025, 3, 1, tzinfo=datetime.timezone.utc).timestamp()
    jio.ner.extract_time(paras[0], time_base=base); jio.ner.extract_money(paras[0])
    def run():
        for p in paras:
            try:
                jio.ner.extract_time(p, time_base=base); jio.ner.extract_money(p)
            except Exception:
                pass
for _ in range(reps):
    run()
print(len(text) if name.startswith(("zhdoc", "jieba")) else sum(map(len, paras)))
'''


def instructions(name: str, reps: int, workdir: Path) -> tuple[int, int]:
    """(instructions, characters) of a child process running ``name`` ``reps`` times."""
    out = workdir / f"{name}.{reps}.out"
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", CHILD,
         name, str(reps), str(ROOT / "bench")],
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    m = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or m is None:
        raise RuntimeError(f"{name} x{reps} failed under callgrind:\n{proc.stderr[-2000:]}")
    return int(m.group(1)), int(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: apt-get install valgrind")
    names = ["zhdoc", "zhdoc_warm", "jieba", "spacy", "jionlp"]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = {(n, r): pool.submit(instructions, n, r, Path(tmp)) for n in names for r in (0, 1)}
        counted = {key: job.result() for key, job in jobs.items()}
    per_char = {}
    for n in names:
        (setup, chars), (run, _) = counted[(n, 0)], counted[(n, 1)]
        per_char[n] = ((run - setup) / chars, chars)
    zhdoc_cost, warm_cost = per_char["zhdoc"][0], per_char["zhdoc_warm"][0]
    lines = [
        "# Instructions per character (`make bench-instructions`)",
        "",
        f"- Date: {_dt.datetime.now(_dt.timezone.utc).isoformat(timespec='seconds')}; "
        f"Python {sys.version.split()[0]}; valgrind's callgrind.",
        "- Text: every document of the `make bench` input once (its first copy: the corpus and the seed, "
        "perturbed); spaCy and JioNLP read its non-blank paragraphs, one call per paragraph, as in `make bench`.",
        "- A run's cost: a process that sets up and runs minus one that only sets up.",
        "- Repeatable to the instruction for the same code and input; instructions are not seconds "
        "(see the module docstring), so read this beside the wall-clock ratios of bench/results.md.",
        "",
        "| what | chars | instructions per char | ÷ zhdoc's (cold) | ÷ zhdoc's (warm) | target ratio (wall clock, issue 5) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    labels = {"zhdoc": "zhdoc `parse` + `json_bytes`, cold (its first document)",
              "zhdoc_warm": "zhdoc `parse` + `json_bytes`, warm (after another copy of the documents)",
              "jieba": "jieba `lcut`",
              "spacy": 'spaCy `blank("zh")` + jieba, `nlp.pipe`', "jionlp": "JioNLP `extract_time` + `extract_money`"}
    for n in names:
        cost, chars = per_char[n]
        target = f"≥ {TARGETS[n]:g}×" if n in TARGETS else ""
        lines.append(f"| {labels[n]} | {chars:,} | {cost:,.0f} | {cost / zhdoc_cost:.2f}× | {cost / warm_cost:.2f}× "
                     f"| {target} |")
    (ROOT / "bench" / "instructions.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
