"""`physioline report`: the period's figures for the commissioner, from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from physioline.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["report", "--demo", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


PERIOD = ("--from", "2025-06-02", "--to", "2028-05-28")


def test_json_and_csv_carry_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--as", "sam", *PERIOD, "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["period"] == {"from": "2025-06-02", "to": "2028-05-28"}
    assert data["total"]["received"] > 250
    assert set(data["total"]) >= {
        "contact_48h",
        "conversation_48h",
        "seen_3_weeks",
        "treated_18_weeks",
        "unable_to_contact",
    }
    assert "48-hour contact" in data["definitions"]
    status, out, _ = run(capsys, "--as", "sam", *PERIOD, "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    totals = {r["measure"]: r for r in rows if not r["week_starting"]}
    assert int(totals["received"]["met"]) == data["total"]["received"]
    assert int(totals["contact_48h"]["of"]) == data["total"]["contact_48h"]["of"]


def test_pdf_report_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    status, _, err = run(capsys, "--as", "ravi", *PERIOD, "--format", "pdf", "-o", str(target))
    assert status == 0
    assert "wrote PDF report" in err
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Headline figures" in text
    assert "48-hour contact" in text
    assert "What the figures mean" in text


def test_physios_get_no_reports_and_dates_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--as", "priya", *PERIOD)
    assert status == 6
    assert "may not see the dashboard and period reports" in err
    status, _, err = run(capsys, "--as", "sam", "--from", "2026-11-30", "--to", "2026-11-01")
    assert status == 2
    assert "ends" in err
    with pytest.raises(SystemExit):
        main(["report", "--demo", "--as", "sam", "--from", "30/11/2026", "--to", "2026-12-01"])
