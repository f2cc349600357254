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
