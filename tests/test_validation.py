"""Bad input stops the build with one line naming file and key, and keeps the old site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitebuild import build_site, make_site, post, site_settings

from content_rules.reader import StrictYAMLReader
from siteconfig import SiteError, load_site

ONE_LINE = re.compile(r"^content/[\w/.-]+\.md: [\w .\[\]]+: .+$")


def error_lines(result) -> list[str]:
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Bygget avbröts"), result.stderr
    return lines[:-1]


@pytest.mark.parametrize(
    ("text", "key", "says"),
    [
        ("---\ntitle: Utan datum\n---\nText.\n", "date", "missing"),
        (post(date="2026-02-30 10:00"), "date", "not a real date"),
        (post(date="förra veckan"), "date", "2026-03-04"),
        ("---\ntitle: [ett, två]\ndate: 2026-01-01\n---\n", "title", "list"),
        ('---\ntitle: ""\ndate: 2026-01-01\n---\n', "title", "empty"),
        ("---\ntitle: Kolon: här: fel\ndate: 2026-01-01\n---\n", ":2", "giltig YAML"),
        ("---\ntitel: Felstavat\ndate: 2026-01-01\n---\n", "titel", "unknown key"),
        ("Ingen rubrikrad alls.\n", "", "ingen rubrikdel"),
    ],
)
def test_bad_post_gives_one_line_and_keeps_the_previous_site(tmp_path: Path, text: str, key: str, says: str) -> None:
    root = make_site(tmp_path / "site", {"posts/bra.md": post()})
    output = tmp_path / "output"
    assert build_site(root, output, search=False).returncode == 0
    before = sorted(p.relative_to(output) for p in output.rglob("*"))

    (root / "content/posts/fel.md").write_text(text, encoding="utf-8")
    result = build_site(root, output, search=False)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = error_lines(result)
    assert len(lines) == 1, lines
    # A key names the header key; ":N" names the line when no key is to blame.
    where = key if key.startswith(":") else f": {key}" if key else ""
    assert lines[0].startswith(f"content/posts/fel.md{where}: ")
    assert says in lines[0]
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    assert not list(tmp_path.glob(".output.building-*")), "no half-built folder is left behind"


def test_all_mistakes_are_listed_at_once(tmp_path: Path) -> None:
    root = make_site(
        tmp_path,
        {
            "posts/a.md": "---\ntitle: A\n---\n",
            "pages/b.md": "---\nmenu: 1\n---\n",
            "plans/c.md": "---\ntitle: Plan\nyear: tjugo\n---\n",
            "reports/d.md": "---\ntitle: R\ndate: 2026-01-01\nauthor: okand\ncommittee: ks\n"
            "meeting: 2026-01-02\nphase: before\n---\n",
        },
    )
    lines = error_lines(build_site(root, tmp_path / "out", search=False))
    assert sorted(line.split(":")[0:2] for line in lines) == [
        ["content/pages/b.md", " title"],
        ["content/plans/c.md", " year"],
        ["content/posts/a.md", " date"],
        ["content/reports/d.md", " author"],
    ]
    assert all(ONE_LINE.match(line) for line in lines), lines
    assert not (tmp_path / "out").exists()


def test_unknown_registry_id_names_the_choices(tmp_path: Path) -> None:
    minutes = "---\ntitle: Protokoll\ndate: 2026-03-04\nmeeting: fika\n---\nText.\n"
    root = make_site(tmp_path, {"posts/a.md": post(), "members/minutes/m.md": minutes})
    # The members' folder is read only by the members' plugin; the header rules still
    # apply to it wherever it is read, so check the reader directly as well.
    reader = _reader(root)
    with pytest.raises(SiteError, match=r"meeting: 'fika' is not in site.yml's meeting_kinds; write one of: styrelse"):
        reader.read(str(root / "content/members/minutes/m.md"))


def _reader(root: Path) -> StrictYAMLReader:
    return StrictYAMLReader(site_settings(root))


# --- Property-based: whatever a volunteer types in the header, never a traceback ---

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10_000, 10_000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.dates().map(str),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=5), max_size=2),
)
keys = st.sampled_from(["title", "date", "summary", "tags", "author", "image", "slug", "status", "fel", "Title"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.dictionaries(keys, yaml_scalars, max_size=6))
def test_any_header_is_read_or_refused_in_one_line(tmp_path: Path, header: dict) -> None:
    root, path = _one_post(tmp_path, "---\n" + yaml.safe_dump(header, allow_unicode=True) + "---\nText.\n")
    try:
        _, metadata = _cached_reader(root).read(str(path))
    except SiteError as error:
        line = str(error)
        assert "\n" not in line
        assert line.startswith("content/posts/x.md: ")
        return
    assert metadata["title"].strip()
    assert "date" in metadata


@given(junk=st.text(max_size=200))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_header_text_is_read_or_refused_in_one_line(tmp_path: Path, junk: str) -> None:
    root, path = _one_post(tmp_path, f"---\ntitle: Rubrik\ndate: 2026-01-01\n{junk}\n---\nText.\n")
    try:
        _cached_reader(root).read(str(path))
    except SiteError as error:
        assert "\n" not in str(error)
        assert str(error).startswith("content/posts/x.md: ")


_readers: dict[Path, StrictYAMLReader] = {}


def _one_post(tmp_path: Path, text: str) -> tuple[Path, Path]:
    """One site per test function, reused across its examples; the post is rewritten each time."""
    root = tmp_path / "site"
    if not root.exists():
        make_site(root, {})
    path = root / "content/posts/x.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return root, path


def _cached_reader(root: Path) -> StrictYAMLReader:
    if root not in _readers:
        _readers[root] = _reader(root)
    return _readers[root]


# --- site.yml ---


@pytest.mark.parametrize(
    ("change", "key", "says"),
    [
        (lambda s: s.pop("name"), "name", "missing"),
        (lambda s: s["colours"].update(primary="red"), "colours.primary", "hex colour"),
        (lambda s: s.update(timezone="Europe/Björkvik"), "timezone", "Europe/Stockholm"),
        (lambda s: s["contact"].update(email="kontakt"), "contact.email", "email address"),
        (lambda s: s.update(menu="Nyheter"), "menu", "list"),
        (lambda s: s["venues"].append(dict(s["venues"][0])), "venues[4].id", "used twice"),
        (lambda s: s.update(fargr={}), "fargr", "unknown key"),
        (lambda s: s["members"].update(remember_days="en månad"), "members.remember_days", "whole number"),
    ],
)
def test_site_yml_mistakes_name_the_key(tmp_path: Path, change, key: str, says: str) -> None:
    site = yaml.safe_load((Path(__file__).resolve().parents[1] / "site.yml").read_text(encoding="utf-8"))
    change(site)
    (tmp_path / "site.yml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_site(tmp_path)
    assert str(caught.value).startswith(f"site.yml: {key}: ")
    assert says in str(caught.value)


def test_site_yml_mistake_stops_the_build_in_one_line(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[1] / "site.yml").read_text(encoding="utf-8")
    root = make_site(
        tmp_path, {"posts/a.md": post()}, site_yml=text.replace("timezone: Europe/Stockholm", "timezone: 5")
    )
    result = build_site(root, tmp_path / "out", search=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result) == ["site.yml: timezone: '5' is not a time zone; write e.g. Europe/Stockholm"]


@pytest.mark.parametrize(
    ("colours", "key", "direction"),
    [
        ({"primary": "#ff9999"}, "colours.primary", "darker"),
        ({"text": "#aaaaaa"}, "colours.text", "darker"),
        ({"accent": "#8fb3ff"}, "colours.accent", "darker"),
        ({"background": "#000000", "text": "#111111"}, "colours.text", "lighter"),
    ],
)
def test_unreadable_colours_are_refused_with_the_key(tmp_path: Path, colours: dict, key: str, direction: str) -> None:
    site = yaml.safe_load((Path(__file__).resolve().parents[1] / "site.yml").read_text(encoding="utf-8"))
    site["colours"].update(colours)
    (tmp_path / "site.yml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SiteError, match=rf"^site.yml: {re.escape(key)}: .* contrast .*4.5:1, choose a {direction}"):
        load_site(tmp_path)


def test_missing_logo_file_is_named(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[1] / "site.yml").read_text(encoding="utf-8")
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    with pytest.raises(SiteError, match=r"^site.yml: logo: content/images/logo.svg does not exist"):
        load_site(tmp_path)
    (tmp_path / "content/images").mkdir(parents=True)
    (tmp_path / "content/images/logo.svg").write_text("<svg/>", encoding="utf-8")
    assert load_site(tmp_path)["logo"] == "images/logo.svg"
