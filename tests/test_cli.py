import json
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES

import zhdoc
from zhdoc.cli import main


def test_cli_json_validates_against_schema(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    assert main(["parse", str(sample), "--format", "json"]) == 0
    out = capsys.readouterr().out
    doc = zhdoc.Document.model_validate_json(out)  # round trip through the contract
    assert doc.reports
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Document" and "reports" in schema["properties"]
    import jsonschema  # a [dev] dependency: the printed schema must accept the printed document

    jsonschema.validate(json.loads(out), schema)


def test_cli_outline_and_errors(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    assert main(["parse", str(sample), "--format", "outline"]) == 0
    assert "REPORT 0" in capsys.readouterr().out
    assert main(["parse", str(tmp_path / "missing.txt")]) != 0
    assert "missing.txt" in capsys.readouterr().err


def test_cli_entry_point_version() -> None:
    out = subprocess.run([sys.executable, "-m", "zhdoc.cli", "--version"], capture_output=True, text=True)
    assert out.stdout.strip() == f"zhdoc {zhdoc.__version__}"


def test_models_data_loads_from_any_directory(tmp_path: Path) -> None:
    code = "import zhdoc; print(len(zhdoc.parse('区政协召开会议12次。').reports[0].entities))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0 and int(out.stdout) >= 2


def test_cli_user_gazetteer(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "r.txt"
    src.write_text("湖光研究会开展调研3次。", encoding="utf-8")
    gaz = tmp_path / "g.tsv"
    gaz.write_text("湖光研究会\t湖光区湖光研究会\t0\n", encoding="utf-8")
    assert main(["parse", str(src), "--gazetteer", str(gaz)]) == 0
    doc = zhdoc.Document.model_validate_json(capsys.readouterr().out)
    orgs = [e for e in doc.reports[0].entities if e.type == "organization"]
    assert [o.canonical for o in orgs] == ["湖光区湖光研究会"]


def test_repaired_bytes_are_reported_as_a_diagnostic(tmp_path: Path) -> None:
    body = ("区政协召开常委会议，协商通过了年度工作要点。" * 200).encode("utf-8")
    path = tmp_path / "damaged.txt"
    path.write_bytes(body[:3000] + b"\xff" + body[3000:])  # one stray byte in ~13 KB
    doc = zhdoc.parse_file(path)
    codes = [d.code for d in doc.diagnostics]
    assert "input.decode" in codes
    assert "\ufffd" in doc.text


def test_cli_writes_the_serializer_bytes_in_order(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """JSON goes out as the serializer's UTF-8 bytes, between the text lines, exactly what
    ``model_dump_json`` would have printed (one document per line for jsonl)."""
    samples = sorted(SAMPLES.glob("*.txt"))[:2]
    out_path = tmp_path / "out.jsonl"
    assert main(["parse", *map(str, samples), "--format", "jsonl", "-o", str(out_path)]) == 0
    lines = out_path.read_text(encoding="utf-8").splitlines()
    expected = [zhdoc.parse_file(s).model_dump_json() for s in samples]
    assert lines == expected
    assert main(["parse", str(samples[0]), "--format", "json", "--indent"]) == 0
    assert capsys.readouterr().out == zhdoc.parse_file(samples[0]).model_dump_json(indent=2) + "\n"


def test_write_bytes_falls_back_to_text_where_it_must() -> None:
    import io

    from zhdoc.export import write_bytes

    data = "区政协“新农人”".encode()
    text_only = io.StringIO()
    write_bytes(text_only, data)
    assert text_only.getvalue() == "区政协“新农人”"
    raw = io.BytesIO()
    gbk = io.TextIOWrapper(raw, encoding="gb18030")  # not UTF-8: the bytes must be re-encoded
    gbk.write("前")
    write_bytes(gbk, data)
    gbk.flush()
    assert raw.getvalue().decode("gb18030") == "前区政协“新农人”"
    sig = io.BytesIO()
    with_bom = io.TextIOWrapper(sig, encoding="utf-8-sig")  # its encoder writes the BOM first
    write_bytes(with_bom, data)
    with_bom.flush()
    assert sig.getvalue() == "\ufeff区政协“新农人”".encode()


def test_document_json_bytes_is_model_dump_json_encoded() -> None:
    doc = zhdoc.parse_file(sorted(SAMPLES.glob("*.txt"))[0])
    assert doc.json_bytes() == doc.model_dump_json().encode("utf-8")
    assert doc.json_bytes(indent=2) == doc.model_dump_json(indent=2).encode("utf-8")
