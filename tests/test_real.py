"""Real reports from ../shared: the seed's tree as verified by reading it, and the corpus."""


import zhdoc


def test_seed_tree(seed_text: str) -> None:
    doc = zhdoc.parse(seed_text)
    first, second = doc.reports
    assert first.title.endswith("(摘登)") and second.title.endswith("(摘登)")
    top = first.sections
    assert [s.marker for s in top] == ["一、", "二、", "三、", "四、", "五、"] * 2
    # the 2024 review: five level-1 sections, each with three run-in subsections
    for s in top[:5]:
        assert [c.kind for c in s.children] == ["run_in"] * 3
        assert all(c.level == 2 for c in s.children)
    assert top[0].children[0].title == "政治领航"
    assert [s.title for s in second.sections] == ["2024年提案工作回顾", "2025年提案工作思路"]
    review, plan = second.sections
    assert [c.marker for c in review.children] == ["(一)", "(二)", "(三)", "(四)"] * 2
    # the displaced 一、二、 are read back into the 2025 plan of the proposals report
    assert [c.marker for c in plan.children] == ["一、", "二、", "三、", "四、"]
    assert any(d.code == "layout.displaced_block" for d in doc.diagnostics)


def test_seed_proposal_checks_hold(seed_text: str) -> None:
    doc = zhdoc.parse(seed_text)
    checks = doc.reports[1].checks
    assert len(checks) == 2 and all(c.holds for c in checks)
    assert checks[0].total.value == 259 and [p.value for p in checks[0].parts] == [2, 83, 174]


def test_seed_entities_are_exact_slices(seed_text: str) -> None:
    doc = zhdoc.parse(seed_text)
    counts: dict = {}
    for r in doc.reports:
        for e in r.entities:
            if e.type == "count":
                counts.setdefault(e.text, e)  # first occurrence
    assert counts["12次"].object == "党组会议"
    assert counts["80余篇"].approx == "余" and counts["80余篇"].value == 80
    assert counts["两个100%"].multiplicity == 2
    studios = [e for r in doc.reports for e in r.entities if e.type == "studio"]
    assert {s.name for s in studios} >= {"新农人", "绿野兴农", "烛心港", "花田", "青漾"}
    for r in doc.reports:
        for e in r.entities:
            assert doc.text[e.span.start:e.span.end] == e.text


def test_corpus_parses_with_continuous_top_numbering(corpus_records: list[dict]) -> None:
    for rec in corpus_records:
        doc = zhdoc.parse(rec["content"])
        for r in doc.reports:
            for e in r.entities:
                assert doc.text[e.span.start:e.span.end] == e.text
            tops = [s.ordinal for s in r.sections if s.marker_style == "cn_dun"]
            # where the text numbers its parts 一、二、…, the top level is continuous
            if tops and rec.get("year") in (2024, 2022, 2018):
                assert tops == list(range(1, len(tops) + 1)), rec["title"]


def test_output_does_not_depend_on_string_hashing(seed_text: str, corpus_records: list[dict], tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two interpreters with different hash seeds give byte-identical JSON, also on shuffled
    text where displaced numbered blocks of several series compete (a set's iteration order
    once decided which block moved)."""
    import random
    import subprocess
    import sys

    rng = random.Random(5)
    docs = [r["content"] for r in corpus_records] + [seed_text]
    parts = []
    for doc in docs:  # the perturbation of bench/run.py: digits remapped, lines shuffled
        digits = list("0123456789")
        rng.shuffle(digits)
        lines = doc.translate(str.maketrans("0123456789", "".join(digits))).split("\n")
        body = lines[3:]
        rng.shuffle(body)
        parts.append("\n".join(lines[:3] + body))
    path = tmp_path / "shuffled.txt"
    path.write_text("\n\n".join(parts), encoding="utf-8")
    code = ("import hashlib, sys, zhdoc; t = open(sys.argv[1], encoding='utf-8', newline='').read(); "
            "print(hashlib.sha256(zhdoc.parse(t).model_dump_json().encode()).hexdigest())")
    digests = {
        subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout.strip()
        for seed in ("0", "1", "2")
    }
    assert len(digests) == 1
