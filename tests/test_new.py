"""`make new`: two questions, and a file whose header the real build accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sitebuild import build_site, make_site

from foreningssajt.cli import new
from foreningssajt.content_rules.header import read_header

NEW = ("-m", "foreningssajt.cli.new")


def test_each_kind_is_written_with_a_header_the_build_accepts(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {})
    answers = {
        "nyhet": "Vårens studiecirkel börjar",
        "aktivitet": "Pubkväll på Ankaret",
        "rapport": "Budgeten i kommunstyrelsen",
    }
    for what, title in answers.items():
        assert new.main(["--root", str(root), what, title]) == 0
    # The questions, answered as a volunteer types them.
    asked = subprocess.run(
        [sys.executable, *NEW, "--root", str(root)],
        input="protokoll\nStyrelsemöte i december\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert asked.returncode == 0, asked.stderr
    assert "Vad vill du skriva" in asked.stdout and "Rubrik" in asked.stdout
    minute = next((root / "content" / "members" / "minutes").glob("protokoll-*-styrelsemote-i-december.md"))
    header = read_header(minute.read_text(encoding="utf-8"), minute.name).values
    assert header["title"] == "Styrelsemöte i december" and header["meeting"] == "styrelse"
    report = next((root / "content" / "reports").glob("*.md"))
    assert read_header(report.read_text(encoding="utf-8"), report.name).values["phase"] == "before"
    built = build_site(root, root / "output", search=False, env={"MEMBERS_PASSWORD": None})
    assert built.returncode == 0, built.stderr
    assert list((root / "output" / "nyheter").glob("*/varens-studiecirkel-borjar/index.html"))


def test_an_existing_file_is_never_overwritten_and_a_wrong_answer_is_one_line(tmp_path: Path, capsys) -> None:
    root = make_site(tmp_path / "site", {})
    first = new.write_new(root, "post", "Samma rubrik")
    first.write_text(first.read_text(encoding="utf-8") + "Min text.\n", encoding="utf-8")
    second = new.write_new(root, "post", "Samma rubrik")
    assert second.name == "samma-rubrik-2.md" and "Min text." in first.read_text(encoding="utf-8")
    assert new.main(["--root", str(root), "blogg", "X"]) == 1
    assert capsys.readouterr().err.strip() == "'blogg' känns inte igen; skriv nyhet, aktivitet, rapport eller protokoll"
