"""Train a small HanLP NER model by distant supervision from zhdoc's own rules.

Every paragraph of the input reports is parsed by zhdoc; the rule extractors' persons,
organizations and places become BIO tags on its characters (text folded one character for
one, exactly as the backend feeds it at run time); sentences are cut at 。！？；. HanLP's own
trainable component, :class:`hanlp.components.ner.rnn_ner.RNNNamedEntityRecognizer` (a
BiLSTM tagger over randomly initialised character embeddings), learns from them on a CPU and is
saved to a directory that ``hanlp.load(dir)`` and ``zhdoc parse --ner hanlp:DIR`` read.

    python bench/train_ner.py --out build/ner-model                 # samples/ only (seconds)
    python bench/train_ner.py --corpus ../shared/corpus --out build/ner-corpus   # + corpus,
        # minus the held-out reports annotated in tests/annotations/ner_heldout.json

The labels are whatever the rules find, so the model can only learn to generalise their
patterns (a title before a name, a suffix like 局/委员会/省 after one); it is not a
replacement for them. Needs ``pip install 'zhdoc[hanlp]'``.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhdoc import parse  # noqa: E402
from zhdoc.integrations.hanlp import _WS_TOKEN, align, iter_paragraphs  # noqa: E402
from zhdoc.normalize import fold  # noqa: E402

LABELS = {"person": "PERSON", "organization": "ORGANIZATION", "location": "LOCATION"}
SENT_END = set("。！？；!?;")
HELDOUT = ROOT / "tests" / "annotations" / "ner_heldout.json"


def tag_document(text: str) -> Iterator[tuple[list[str], list[str]]]:
    """(characters, BIO tags) of every paragraph of ``text``, labelled by the rule extractors."""
    doc = parse(text)
    for report in doc.reports:
        spans = sorted(
            ((e.span.start, e.span.end, LABELS[e.type]) for e in report.entities if e.type in LABELS),
            key=lambda s: (s[0], -(s[1] - s[0])),
        )
        for para, _ in iter_paragraphs(report):
            offsets = align(para, text)
            if offsets is None or not para.text.strip():
                continue
            where = {o: i for i, o in enumerate(offsets)}
            tags = ["O"] * len(para.text)
            lo, hi = offsets[0], offsets[-1] + 1
            for s, e, label in spans:  # outer (longer) spans first: 武进区政协 over 武进区
                if e <= lo or s >= hi or s not in where or (e - 1) not in where:
                    continue
                a, b = where[s], where[e - 1] + 1
                if any(t != "O" for t in tags[a:b]):
                    continue
                tags[a] = f"B-{label}"
                for k in range(a + 1, b):
                    tags[k] = f"I-{label}"
            chars = [c if not c.isspace() else _WS_TOKEN for c in fold(para.text)]
            yield chars, tags


def sentences(chars: list[str], tags: list[str], max_len: int = 80) -> Iterator[tuple[list[str], list[str]]]:
    """Cut at sentence ends (never inside an entity); hard-cut what is still too long."""
    start = 0
    for i, c in enumerate(chars):
        end = i + 1
        if (c in SENT_END and (end == len(chars) or not tags[end].startswith("I-"))) or end - start >= max_len:
            if end - start >= max_len and end < len(chars) and tags[end].startswith("I-"):
                continue
            yield chars[start:end], tags[start:end]
            start = end
    if start < len(chars):
        yield chars[start:], tags[start:]


def build_examples(texts: Iterable[str], *, negatives: float = 0.5, seed: int = 0) -> list[dict[str, list[str]]]:
    """Training sentences: all with at least one rule entity, plus ``negatives`` × as many without."""
    pos: list[dict[str, list[str]]] = []
    neg: list[dict[str, list[str]]] = []
    for text in texts:
        for chars, tags in tag_document(text):
            for toks, tg in sentences(chars, tags):
                if len(toks) < 2:
                    continue
                (pos if any(t != "O" for t in tg) else neg).append({"token": toks, "tag": tg})
    rng = random.Random(seed)
    rng.shuffle(neg)
    return pos + neg[: int(len(pos) * negatives)]


def heldout_docs(path: Path = HELDOUT) -> set[tuple[str, int]]:
    """(file, line) of the reports annotated for evaluation: never trained on."""
    if not path.is_file():
        return set()
    data = json.loads(path.read_text(encoding="utf-8"))
    return {(d["file"], d["line"]) for d in data["docs"]}


def corpus_texts(corpus: Path, exclude: set[tuple[str, int]]) -> list[tuple[str, int, str]]:
    out = []
    for f in sorted(corpus.glob("*.jsonl")):
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines()):
            if line.strip() and (f.name, i) not in exclude:
                out.append((f.name, i, json.loads(line)["content"]))
    return out


def sample_texts(samples: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))]


def train(examples: list[dict[str, list[str]]], out: str | Path, *, epochs: int = 5, embed: int = 64,
          hidden: int = 128, batch_size: int = 8, lr: float = 0.01, seed: int = 1,
          dev_fraction: float = 0.1, crf: bool = False) -> dict[str, object]:
    """Fit :class:`RNNNamedEntityRecognizer` (BiLSTM, random embeddings) and save it to ``out``.

    ``crf`` stays off: with hanlp 2.1.5 and torch 2.13 the component's CRF layer does not learn
    (a toy set of 30 identical sentences is still wrong after 15 epochs; without it, perfect).
    """
    import torch
    from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    data = list(examples)
    rng.shuffle(data)
    n_dev = int(len(data) * dev_fraction)
    # dev_fraction=0: select on (a copy of) 30 training sentences (tiny data, e.g. the tests)
    dev, trn = (data[:n_dev], data[n_dev:]) if n_dev else (copy.deepcopy(data[:30]), data)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    model = RNNNamedEntityRecognizer()
    model.fit(trn, dev, str(out), epochs=epochs, embed=embed, rnn_hidden=hidden, batch_size=batch_size,
              lr=lr, tagging_scheme="BIO", token_delimiter="", crf=crf, seed=seed, patience=epochs,
              devices=[], verbose=False)
    seconds = time.perf_counter() - t0
    card = {
        "component": f"hanlp.components.ner.rnn_ner.RNNNamedEntityRecognizer (BiLSTM{'-CRF' if crf else ' + softmax'}, random char embeddings)",
        "labels": "distant supervision: zhdoc rule extractors' person/organization/location, BIO over folded characters",
        "sentences": {"train": len(trn), "dev": len(dev)},
        "epochs": epochs, "embed": embed, "hidden": hidden, "lr": lr, "seed": seed,
        "train_seconds": round(seconds, 1),
    }
    (out / "zhdoc_train.json").write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
    return card


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="directory to save the model into")
    ap.add_argument("--samples", default=str(ROOT / "samples"), help="directory of .txt reports (default samples/)")
    ap.add_argument("--corpus", help="directory of .jsonl corpus files (e.g. ../shared/corpus); held-out reports skipped")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--embed", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--dev-fraction", type=float, default=0.05)
    ap.add_argument("--negatives", type=float, default=0.5, help="sentences without entities per sentence with one")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    texts = sample_texts(Path(args.samples))
    used = [f"samples/*.txt ({len(texts)} files)"]
    if args.corpus:
        exclude = heldout_docs()
        docs = corpus_texts(Path(args.corpus), exclude)
        texts += [t for _, _, t in docs]
        used.append(f"{args.corpus}: {', '.join(f'{f}:{i}' for f, i, _ in docs)} (held out: "
                    f"{', '.join(f'{f}:{i}' for f, i in sorted(exclude))})")
    examples = build_examples(texts, negatives=args.negatives, seed=args.seed)
    n_ents = sum(sum(t.startswith("B-") for t in ex["tag"]) for ex in examples)
    print(f"{len(examples)} sentences, {n_ents} rule-labelled mentions from {'; '.join(used)}", file=sys.stderr)
    card = train(examples, args.out, epochs=args.epochs, embed=args.embed, hidden=args.hidden, lr=args.lr,
                 seed=args.seed, batch_size=args.batch_size, dev_fraction=args.dev_fraction)
    card["trained_on"] = used
    Path(args.out, "zhdoc_train.json").write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(card, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
