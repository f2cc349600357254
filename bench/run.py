"""`make bench`: zhdoc's speed against the tools people use today, on the same text (issue 5).

Input: every ``content`` of ../shared/corpus/*.jsonl plus the seed report, repeated to at least
3 MB (UTF-8) with every copy perturbed — its Arabic digits remapped by a deterministic random
permutation and its paragraphs shuffled — so no cache can fake a figure.

The headline comparison runs in interleaved rounds: each round times zhdoc's whole pipeline and
every baseline once, in turn, so a slow spell of a shared machine slows all of them alike; a
ratio is the median over rounds of the two rates measured in the same round. Other figures are
medians of several runs (stated per row). The slow baselines (spaCy + jieba, JioNLP)
run on a 300 000-character prefix of the same input to keep the whole bench within minutes;
chars/s is a rate, so the ratio is still like for like. Writes bench/results.md and prints it.
"""

from __future__ import annotations

import cProfile
import datetime as _dt
import gc
import io
import json
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed" / "000_fd64010ca59028d2.txt"
RESULTS = ROOT / "bench" / "results.md"
VENV_BIN = Path(sys.executable).parent

MB = 1_000_000
TARGET_BYTES = 3 * MB
SUBSET = 300_000  # characters, for the slow baselines
RUNS = 3
#: Interleaved rounds of the headline comparison (zhdoc whole and the four baselines).
ROUNDS = 9

TARGETS = {"jieba.lcut": 5.0, "jionlp": 10.0, "spacy": 8.0}

sys.path.insert(0, str(ROOT / "bench"))


# ------------------------------------------------------------------ input


def load_sources() -> list[str]:
    texts: list[str] = []
    for f in sorted(CORPUS.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["content"])
    texts.append(SEED.open(encoding="utf-8", newline="").read())
    return texts


def perturb(doc: str, rng: random.Random) -> str:
    """Remap the Arabic digits and shuffle the paragraphs (the first three lines — title — stay)."""
    digits = list("0123456789")
    rng.shuffle(digits)
    doc = doc.translate(str.maketrans("0123456789", "".join(digits)))
    lines = doc.split("\n")
    head, body = lines[:3], lines[3:]
    rng.shuffle(body)
    return "\n".join(head + body)


def build_input(sources: list[str], target_bytes: int, seed: int = 5) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < target_bytes:
        for doc in sources:
            p = perturb(doc, rng)
            parts.append(p)
            size += len(p.encode("utf-8")) + 2
    return "\n\n".join(parts)


# ------------------------------------------------------------------ timing


def median_time(fn: Callable[[], object], runs: int = RUNS, setup: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(runs):
        arg = setup() if setup else None
        gc.collect()
        t0 = time.perf_counter()
        fn(arg) if setup else fn()  # type: ignore[call-arg]
        times.append(time.perf_counter() - t0)
        del arg
    return statistics.median(times)


def interleaved(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Seconds of each contender in each round; a round runs every contender once, in turn."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            gc.collect()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def rate(chars: int, seconds: float) -> float:
    return chars / seconds if seconds > 0 else float("inf")


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


# ------------------------------------------------------------------ machine


def machine() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(os.cpu_count())
    from importlib.metadata import version

    def v(name: str) -> str:
        try:
            return version(name)
        except Exception:
            return "n/a"

    return [
        f"- Date: {_dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- Machine: {platform.platform()}; CPU: {cpu}; nproc: {nproc}; memory: {mem}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- Versions: zhdoc {v('zhdoc')}, pydantic {v('pydantic')}, jieba {v('jieba')}, rjieba {v('rjieba')}, "
        f"spacy {v('spacy')}, jionlp {v('jionlp')}, regex {v('regex')}",
    ]


def _load() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# ------------------------------------------------------------------ subprocess probes


def import_time(runs: int = 5) -> tuple[float, float]:
    code = "import time;t=time.perf_counter();import zhdoc;print(time.perf_counter()-t)"
    inner, wall = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        wall.append(time.perf_counter() - t0)
        inner.append(float(out.stdout.strip()))
    return statistics.median(inner), statistics.median(wall)


def cli_parse_time(runs: int = 3) -> float:
    exe = VENV_BIN / "zhdoc"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "zhdoc.cli"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([*cmd, "parse", str(SEED)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# Peak RSS: VmHWM of this process's own address space. (ru_maxrss of a child started by fork+exec
# inherits the parent's high-water mark on Linux, so it would report the bench process's peak.)
_RSS_CODE = r"""
import resource, sys, time

def hwm():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

import zhdoc
text = open(sys.argv[1], encoding="utf-8").read()
base = hwm()
t0 = time.perf_counter()
doc = zhdoc.parse(text, max_chars=len(text) + 1)
js = doc.json_bytes()
dt = time.perf_counter() - t0
peak = hwm()
print(len(text), base, peak, dt, len(js))
"""


def peak_rss(sources: list[str], target_bytes: int) -> dict[str, float]:
    text = build_input(sources, target_bytes, seed=50)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write(text)
        path = f.name
    nbytes = os.path.getsize(path)
    del text
    try:
        out = subprocess.run([sys.executable, "-c", _RSS_CODE, path], capture_output=True, text=True, check=True)
    finally:
        os.unlink(path)
    chars, base, peak, dt, js = out.stdout.split()
    return {"bytes": nbytes, "chars": int(chars), "base_kib": int(base), "peak_kib": int(peak),
            "seconds": float(dt), "json_chars": int(js)}


# ------------------------------------------------------------------ adversarial inputs


def adversarial(rng: random.Random) -> list[tuple[str, str]]:
    def cjk(n: int) -> str:
        return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))

    out = [("5 MB of one character (中)", "中" * (5 * MB // 3))]
    out.append(('100 000 lines of "一、"', "一、\n" * 100_000))
    half = MB // 3 // 2
    out.append(('nested "（（（…）））" 1 MB', "（" * half + "）" * half))
    out.append(("5 MB line, no punctuation", cjk(5 * MB // 3)))
    marks = ["一、", "（一）", "(一)", "一）", "1.", "1．", "1、", "(1)", "（1）", "①", "一是", "第一，", "首先，", "第一章", "第一节"]
    parts, size, i = [], 0, 0
    while size < MB:
        m = marks[i % len(marks)] + "加强协商议政" + ("\n" if i % 2 else "")
        parts.append(m)
        size += len(m.encode())
        i += 1
    out.append(("alternating markers of every style, 1 MB", "".join(parts)))
    out.append(("10 000 quoted phrases in a row", "“加强团结合作”" * 10_000))
    words, size = [], 0
    while size < MB:
        w = cjk(rng.randint(4, 40)) + rng.choice("，。；：、！？\n")
        words.append(w)
        size += len(w.encode())
    out.append(("random CJK text with punctuation, 1 MB", "".join(words)))
    out.append(("random bytes decoded (errors=replace), 1 MB",
                bytes(rng.getrandbits(8) for _ in range(MB)).decode("utf-8", "replace")))
    out.append(("NUL characters, 1 MB", "\x00" * MB))
    return out


# ------------------------------------------------------------------ generated families (issue 18)

FAMILY_CHARS = 2 * MB
FAMILY_HEADING = "## Generated adversarial families (issue 18)"


def family_rows(chars: int = FAMILY_CHARS, log: Callable[[str], None] = print) -> list[tuple[str, int, float, int]]:
    """Every family of tests/adversarial.py at ``chars`` characters: (family, chars, seconds of
    parse + json_bytes, entities). One run each: at 2 M characters one run is long enough."""
    import zhdoc

    sys.path.insert(0, str(ROOT / "tests"))
    from adversarial import families

    rows: list[tuple[str, int, float, int]] = []
    for name, family in sorted(families().items()):
        text = family(chars, 1)
        gc.collect()
        t0 = time.perf_counter()
        doc = zhdoc.parse(text, max_chars=len(text) + 1)
        doc.json_bytes()
        dt = time.perf_counter() - t0
        entities = sum(len(r.entities) for r in doc.reports)
        del doc, text
        rows.append((name, chars, dt, entities))
        log(f"family {name}: {dt:.2f}s, {entities:,} entities")
    return rows


def family_section(rows: list[tuple[str, int, float, int]]) -> list[str]:
    L = [FAMILY_HEADING, ""]
    L.append("Each family of tests/adversarial.py (built from zhdoc's own tables: numerals, measure words, "
             "count verbs and links, heading markers, quote and bracket marks, body and place suffixes, date "
             "words, titles, names; `.lines` puts a line break after about one piece in twelve), "
             f"{rows[0][1]:,} characters, `parse` + `json_bytes`, one run each. tests/test_adversarial.py "
             "holds the slope (cost per character at 8n ÷ at n ≤ 2.5) for every family.")
    L.append("")
    L.append("| family | chars | seconds | entities | µs per char | µs per entity |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for name, chars, dt, entities in rows:
        per_entity = f"{dt / entities * 1e6:.1f}" if entities else "–"
        L.append(f"| {name} | {chars:,} | {dt:.2f} | {entities:,} | {dt / chars * 1e6:.2f} | {per_entity} |")
    slowest = max(rows, key=lambda r: r[2])
    L.append("")
    L.append(f"Slowest: {slowest[0]}, {slowest[2]:.1f} s. Total: {sum(r[2] for r in rows):.0f} s for {len(rows)} families.")
    L.append("")
    return L


def families_only() -> None:
    """``python bench/run.py --families``: run only the section above and put it in place in
    bench/results.md (the rest of the file stays as the last full run wrote it)."""
    section = "\n".join(family_section(family_rows()))
    old = RESULTS.read_text(encoding="utf-8")
    if FAMILY_HEADING in old:
        head, _, rest = old.partition(FAMILY_HEADING)
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1:] if nxt >= 0 else ""
        new = head + section + "\n" + tail
    else:  # before the profile, where the full run puts it
        marker = "## Where the time goes"
        head, sep, tail = old.partition(marker)
        new = head + section + "\n" + sep + tail if sep else old.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(new, encoding="utf-8")
    print(section)


# ------------------------------------------------------------------ main


def main() -> None:
    t_start = time.perf_counter()
    load_start = _load()
    lines_out: list[str] = []

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:6.1f}s] {msg}", file=sys.stderr, flush=True)

    sources = load_sources()
    text = build_input(sources, TARGET_BYTES)
    n = len(text)
    nbytes = len(text.encode("utf-8"))
    subset = text[:SUBSET]
    paras = paragraphs(text)
    sub_paras = paragraphs(subset)
    log(f"input: {n:,} chars, {nbytes:,} bytes, {len(paras):,} paragraphs; {len(sources)} source documents")

    rows: list[tuple[str, int, float, str]] = []  # name, chars, chars/s, note

    # ---- zhdoc (imports first so import cost is excluded; it is measured separately)
    import zhdoc
    from zhdoc.errors import ZhdocError
    from zhdoc.extract import extract_document
    from zhdoc.normalize import normalize
    from zhdoc.schema import Document, Source
    from zhdoc.structure import read_structure
    from zhdoc.structured import StructuredDocument

    zhdoc.parse(SEED.read_text(encoding="utf-8")).json_bytes()  # warm lazy tables/dictionaries

    # Stages alone run under the collector pause that parse applies around them (zhdoc.pipeline),
    # so the stage rows add up to the whole.
    from zhdoc.pipeline import _collector_paused

    def paused(fn: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object) -> object:
            with _collector_paused():
                return fn(*args)
        return run

    t_norm = median_time(paused(lambda: normalize(text)))
    norm = normalize(text)
    t_struct = median_time(paused(lambda: read_structure(norm)))
    log(f"normalize {t_norm:.2f}s, structure {t_struct:.2f}s")

    def fresh() -> StructuredDocument:
        return read_structure(norm)

    def do_extract(structured: StructuredDocument) -> None:
        extract_document(structured)

    t_extract = median_time(paused(do_extract), setup=fresh)
    structured = read_structure(norm)
    do_extract(structured)
    log(f"extract {t_extract:.2f}s")

    def build_doc() -> Document:
        return structured.to_schema(Source(format="string"))

    t_valser = median_time(paused(lambda: build_doc().json_bytes()))
    js = build_doc().model_dump_json()
    t_roundtrip = median_time(lambda: Document.model_validate_json(js))
    log(f"validate+serialize {t_valser:.2f}s; model_validate_json {t_roundtrip:.2f}s")

    # ---- the headline comparison: zhdoc whole and the baselines, interleaved
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()

    import rjieba

    rjieba.cut("预热")

    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    list(nlp.pipe(sub_paras[:20]))
    sub_chars = sum(len(p) for p in sub_paras)

    import contextlib

    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp as jio
    # A fixed reference time: relative expressions resolve the same on every run (with the
    # wall clock as base, JioNLP raised on some paragraphs on some days).
    base_ts = _dt.datetime(2025, 3, 1, tzinfo=_dt.timezone.utc).timestamp()
    jio.ner.extract_time(sub_paras[0], time_base=base_ts)
    jio.ner.extract_money(sub_paras[0])
    jio_failures: set[int] = set()

    def run_jio() -> None:
        for k, p in enumerate(sub_paras):
            try:
                jio.ner.extract_time(p, time_base=base_ts)
                jio.ner.extract_money(p)
            except Exception:  # JioNLP's own parse errors: timed like any paragraph, and counted
                jio_failures.add(k)

    zhdoc.parse(text[:SUBSET]).json_bytes()  # load zhdoc's tables and dictionaries
    chars_of = {"zhdoc": n, "zhdoc_str": n, "jieba": n, "rjieba": n, "spacy": sub_chars, "jionlp": sub_chars}
    times = interleaved({
        # the JSON as the CLI and the batch write it (UTF-8 bytes), and as a str for reference
        "zhdoc": lambda: zhdoc.parse(text).json_bytes(),
        "zhdoc_str": lambda: zhdoc.parse(text).model_dump_json(),
        "jieba": lambda: jieba.lcut(text),
        "rjieba": lambda: rjieba.cut(text),
        "spacy": lambda: [len(d) for d in nlp.pipe(sub_paras)],
        "jionlp": run_jio,
    }, ROUNDS)
    rates_of = {k: [chars_of[k] / t for t in ts] for k, ts in times.items()}
    median_rate = {k: statistics.median(rs) for k, rs in rates_of.items()}
    # zhdoc ÷ baseline, round by round: the robust ratio on a machine whose speed drifts
    paired = {k: sorted(z / b for z, b in zip(rates_of["zhdoc"], rates_of[k], strict=True))
              for k in ("jieba", "rjieba", "spacy", "jionlp")}
    paired_str = {k: sorted(z / b for z, b in zip(rates_of["zhdoc_str"], rates_of[k], strict=True))
                  for k in ("jieba", "spacy", "jionlp")}
    t_whole = statistics.median(times["zhdoc"])
    whole_rate = median_rate["zhdoc"]
    log(f"interleaved: zhdoc {whole_rate:,.0f} chars/s; " + ", ".join(
        f"{k} {median_rate[k]:,.0f} ({statistics.median(v):.2f}×)" for k, v in paired.items()))
    note = f"median of {ROUNDS} interleaved rounds"
    failed = f"; raised on {len(jio_failures)} of {len(sub_paras)} paragraphs" if jio_failures else ""
    rows.append(("jieba `lcut` (default mode, dictionary preloaded)", n, median_rate["jieba"], note))
    rows.append(("rjieba `cut`", n, median_rate["rjieba"], note))
    rows.append(('spaCy `blank("zh")` + jieba, `nlp.pipe` per paragraph', sub_chars, median_rate["spacy"],
                 f"300k-char subset, {note}"))
    rows.append(("JioNLP `extract_time` + `extract_money` per paragraph", sub_chars, median_rate["jionlp"],
                 f"300k-char subset, {note}{failed}"))

    from linebased import split_headings

    t_line = median_time(lambda: split_headings(text))
    rows.append(("line-based heading splitter (bench/linebased.py)", n, rate(n, t_line), f"median of {RUNS}"))

    stage = f"median of {RUNS}; collector paused, as inside parse"
    zrows = [
        ("zhdoc normalize", n, rate(n, t_norm), stage),
        ("zhdoc structure (`read_structure`)", n, rate(n, t_struct), stage),
        ("zhdoc extract (`extract_document`)", n, rate(n, t_extract), stage),
        ("zhdoc validate + serialize (`to_schema` + `json_bytes`)", n, rate(n, t_valser), stage),
        ("  of which `Document.model_validate_json` (round trip, for reference)", n, rate(n, t_roundtrip),
         f"median of {RUNS}"),
        ("zhdoc whole with a `str`: `parse` + `model_dump_json`", n, median_rate["zhdoc_str"],
         f"median of {ROUNDS} interleaved rounds"),
        ("**zhdoc whole: `parse` + `json_bytes`** (the JSON the CLI and batch write)", n, whole_rate,
         f"median of {ROUNDS} interleaved rounds"),
    ]

    # ---- cold process figures
    imp_inner, imp_wall = import_time()
    cli_wall = cli_parse_time()
    log(f"import {imp_inner:.3f}s; cli {cli_wall:.2f}s")

    # ---- scaling: 1x, 4x, 16x of the bench input
    gc.collect()
    scale: list[tuple[int, int, float, int]] = [(1, n, t_whole, ROUNDS)]
    for k, runs in ((4, RUNS), (16, RUNS)):
        big = build_input(sources, TARGET_BYTES * k, seed=100 + k)
        t_big = median_time(lambda big=big: zhdoc.parse(big, max_chars=len(big) + 1).json_bytes(), runs=runs)
        scale.append((k, len(big), t_big, runs))
        del big
        gc.collect()
        log(f"{k}x {t_big:.2f}s")

    # ---- peak RSS on 50 MB
    rss = peak_rss(sources, 50 * MB)
    log(f"rss {rss}")

    # ---- adversarial
    adv_rows: list[tuple[str, int, int, float, str]] = []
    for name, atext in adversarial(random.Random(7)):
        t0 = time.perf_counter()
        status = "ok"
        try:
            zhdoc.parse(atext, max_chars=len(atext) + 1).json_bytes()
        except ZhdocError as e:  # documented error: acceptable
            status = f"{type(e).__name__}"
        dt = time.perf_counter() - t0
        adv_rows.append((name, len(atext), len(atext.encode("utf-8")), dt, status))
        log(f"adv {name}: {dt:.2f}s {status}")
        del atext

    # ---- generated adversarial families at 2 M characters (issue 18)
    fam_rows = family_rows(log=log)

    # ---- profile (where the time goes)
    prof = cProfile.Profile()
    prof.enable()
    zhdoc.parse(text).json_bytes()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
    prof_lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    stats_start = next((i for i, ln in enumerate(prof_lines) if ln.lstrip().startswith("ncalls")), 0)
    prof_text = "\n".join(prof_lines[stats_start:])
    buf2 = io.StringIO()
    pstats.Stats(prof, stream=buf2).sort_stats("cumulative").print_stats(r"zhdoc", 20)
    cum_lines = [ln for ln in buf2.getvalue().splitlines() if ln.strip()]
    cum_start = next((i for i, ln in enumerate(cum_lines) if ln.lstrip().startswith("ncalls")), 0)
    cum_text = "\n".join(cum_lines[cum_start:])

    # ------------------------------------------------------------------ report
    L = lines_out
    L.append("# zhdoc benchmark (`make bench`)")
    L.append("")
    L.extend(machine())
    L.append(f"- Input: all `content` of ../shared/corpus/*.jsonl + the seed ({len(sources)} documents), "
             f"repeated with every copy perturbed (Arabic digits remapped by a seeded random permutation, "
             f"paragraph lines shuffled): **{n:,} characters, {nbytes / MB:.2f} MB UTF-8**.")
    L.append(f"- Slow baselines (spaCy + jieba, JioNLP) run on the first {SUBSET:,} characters of that input "
             "(its non-blank paragraphs); chars/s is a rate, so ratios stay like for like.")
    L.append(f"- Total bench time: {time.perf_counter() - t_start:.0f} s. Load average (1/5/15 min) at start "
             f"{load_start}, at end {_load()} — on a busy machine every figure is low; the ratios, measured "
             "side by side in one run, are the more robust quantity.")
    L.append("")
    L.append("## Throughput")
    L.append("")
    L.append("| what | chars measured | chars/s | zhdoc whole ÷ this | note |")
    L.append("|---|---:|---:|---:|---|")
    for name, chars, r, note in rows + zrows:
        L.append(f"| {name} | {chars:,} | {r:,.0f} | {whole_rate / r:.2f}× | {note} |")
    L.append("")
    L.append("## Ratios against the targets of issue 5")
    L.append("")
    L.append(f"| zhdoc whole vs | ratio: median of {ROUNDS} rounds (lowest–highest) | target | met? |")
    L.append("|---|---:|---:|---|")
    for label, key, tkey in (("jieba `lcut`", "jieba", "jieba.lcut"), ("JioNLP time + money", "jionlp", "jionlp"),
                             ("spaCy blank zh + jieba", "spacy", "spacy")):
        ratio, tgt = statistics.median(paired[key]), TARGETS[tkey]
        L.append(f"| {label} | {ratio:.2f}× ({paired[key][0]:.2f}–{paired[key][-1]:.2f}) | ≥ {tgt:g}× | "
                 f"{'yes' if ratio >= tgt else '**no**'} |")
        alt = paired_str[key]
        L.append(f"| {label}, JSON as a `str` (`model_dump_json`) | {statistics.median(alt):.2f}× "
                 f"({alt[0]:.2f}–{alt[-1]:.2f}) | ≥ {tgt:g}× | {'yes' if statistics.median(alt) >= tgt else '**no**'} |")
    L.append(f"| `import zhdoc` (fresh process, median of 5) | {imp_inner:.3f} s | < 0.3 s | "
             f"{'yes' if imp_inner < 0.3 else '**no**'} |")
    per_mb = [(k, chars, t / (chars / MB), runs) for k, chars, t, runs in scale]
    cost_ratio = per_mb[-1][2] / per_mb[0][2]
    L.append(f"| per-MB(char) cost at 16× ÷ at 1× | {cost_ratio:.2f} | ≤ 1.2 | {'yes' if cost_ratio <= 1.2 else '**no**'} |")
    L.append("")
    L.append("## Cold process and memory")
    L.append("")
    L.append("| what | figure |")
    L.append("|---|---|")
    L.append(f"| `import zhdoc` in a fresh interpreter (median of 5) | {imp_inner * 1000:.0f} ms "
             f"(whole `python -c 'import zhdoc'` process: {imp_wall * 1000:.0f} ms) |")
    L.append(f"| `zhdoc parse SEED` wall time, cold process (median of 3) | {cli_wall * 1000:.0f} ms |")
    L.append(f"| peak RSS (VmHWM) parsing {rss['bytes'] / MB:.1f} MB ({rss['chars']:,} chars) + `json_bytes` | "
             f"{rss['peak_kib'] / 1024:,.0f} MiB (after import + reading the text: {rss['base_kib'] / 1024:,.0f} MiB; "
             f"{rss['peak_kib'] * 1024 / rss['bytes']:.1f}× input bytes); parse took {rss['seconds']:.1f} s = "
             f"{rss['chars'] / rss['seconds']:,.0f} chars/s |")
    L.append("")
    L.append("## Scaling (`parse` + `json_bytes`)")
    L.append("")
    L.append("| size | chars | seconds | chars/s | s per M chars | ÷ 1× | runs |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    for (k, chars, t, runs), (_, _, pm, _) in zip(scale, per_mb, strict=True):
        L.append(f"| {k}× | {chars:,} | {t:.2f} | {chars / t:,.0f} | {pm:.2f} | {pm / per_mb[0][2]:.2f} | {runs} |")
    L.append("")
    L.append("## Adversarial inputs (`parse` + `json_bytes`, one run each)")
    L.append("")
    L.append("| input | chars | MB UTF-8 | seconds | s per MB | s per M chars | result |")
    L.append("|---|---:|---:|---:|---:|---:|---|")
    for name, chars, b, dt, status in adv_rows:
        L.append(f"| {name} | {chars:,} | {b / MB:.2f} | {dt:.2f} | {dt / (b / MB):.2f} | "
                 f"{dt / (chars / MB):.2f} | {status} |")
    L.append(f"\nFor comparison, the bench input costs {t_whole / (nbytes / MB):.2f} s per MB "
             f"({t_whole / (n / MB):.2f} s per M chars).")
    L.append("")
    L.extend(family_section(fam_rows))
    L.append("## Where the time goes (cProfile, one `parse` + `json_bytes` of the bench input)")
    L.append("")
    L.append("Top 15 by own time:")
    L.append("")
    L.append("```")
    L.append(prof_text)
    L.append("```")
    L.append("")
    L.append("zhdoc functions by cumulative time:")
    L.append("")
    L.append("```")
    L.append(cum_text)
    L.append("```")
    L.append("")
    report = "\n".join(L)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    if sys.argv[1:] == ["--families"]:
        families_only()
    else:
        main()
