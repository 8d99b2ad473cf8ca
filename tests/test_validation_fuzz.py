"""Property tests: whatever a volunteer types in a header or in site.yml, never a traceback.

Either the input is accepted, or every problem is one line that names the file; the
real build then exits 1, says output/ is unchanged, and leaves output/ as it was.
Most examples run in-process against the reader and load_site (fast); a few go
through foreningssajt/cli/build.py to check the exit code and the output folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitebuild import REPO, build_site, make_site, post, site_settings

from foreningssajt.content_rules.reader import StrictYAMLReader
from foreningssajt.siteconfig import SiteError, load_site
from foreningssajt.siteconfig.session import SETTING, BuildSession, session_of

SITE_YML = yaml.safe_load((REPO / "site.yml").read_text(encoding="utf-8"))
FUNCTION_SCOPED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

yaml_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-10_000, 10_000),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=40),
        st.dates().map(str),
        st.sampled_from(["18.00", "18:00", "#00aa00", "folkets hus", "a, b", "draft", "Anna Lindqvist", "ks"]),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=2),
    max_leaves=6,
)
header_keys = st.sampled_from(
    ["title", "date", "summary", "tags", "author", "image", "image_alt", "slug", "status", "menu", "start", "end",
     "location", "category", "committee", "meeting", "phase", "year", "fel", "Title"]
)  # fmt: skip
folders = st.sampled_from(["posts", "pages", "events", "reports", "plans", "members/minutes"])


def one_line_each(lines: list[str], shown: str) -> None:
    assert lines, "a refused file says why"
    for line in lines:
        assert "\n" not in line and "Traceback" not in line
        assert re.match(rf"^{re.escape(shown)}(:\d+)?: ", line), line


class Site:
    """One site per test function, reused across its examples."""

    def __init__(self, root: Path) -> None:
        self.root = make_site(root, {})
        self.settings = site_settings(self.root)
        self.reader = StrictYAMLReader(self.settings)

    def read(self, relative: str, text: str) -> tuple[dict | None, list[str]]:
        path = self.root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.settings[SETTING] = BuildSession.start(self.root)  # this file's problems only
        try:
            return self.reader.read(str(path))[1], []
        except SiteError:
            return None, session_of(self.settings).problems.lines()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return Site(tmp_path_factory.mktemp("fuzz") / "site")


@settings(max_examples=120, suppress_health_check=FUNCTION_SCOPED)
@given(folder=folders, header=st.dictionaries(header_keys, yaml_values, max_size=7))
def test_any_header_is_read_or_refused_one_line_per_problem(site: Site, folder: str, header: dict) -> None:
    text = "---\n" + yaml.safe_dump(header, allow_unicode=True) + "---\nText.\n"
    metadata, lines = site.read(f"{folder}/x.md", text)
    if metadata is None:
        one_line_each(lines, f"content/{folder}/x.md")
    else:
        assert metadata["title"].strip()


@settings(max_examples=120, suppress_health_check=FUNCTION_SCOPED)
@given(junk=st.text(max_size=200), body=st.text(max_size=200))
def test_any_header_text_and_body_is_read_or_refused_in_one_line(site: Site, junk: str, body: str) -> None:
    metadata, lines = site.read("posts/y.md", f"---\ntitle: Rubrik\ndate: 2026-01-01\n{junk}\n---\n{body}\n")
    if metadata is None:
        one_line_each(lines, "content/posts/y.md")


# --- site.yml ------------------------------------------------------------------------

site_keys = st.sampled_from([*SITE_YML, "fargr", "Name"])
nested = st.sampled_from(
    [("colours", "primary"), ("colours", "text"), ("contact", "email"), ("members", "remember_days"),
     ("venues", 0, "step_free"), ("venues", 1, "id"), ("people", 0, "roles"), ("menu", 0, "url")]
)  # fmt: skip


def changed(site: dict, top: dict, deep: list[tuple[tuple, object]]) -> dict:
    import copy

    site = copy.deepcopy(site)
    site.update(top)
    for path, value in deep:
        place = site
        for part in path[:-1]:
            place = place[part] if isinstance(place, dict | list) and _has(place, part) else None
            if place is None:
                break
        if isinstance(place, dict | list) and _has(place, path[-1]):
            place[path[-1]] = value
    return site


def _has(place: dict | list, part: object) -> bool:
    return part in place if isinstance(place, dict) else isinstance(part, int) and part < len(place)


@settings(max_examples=60, suppress_health_check=FUNCTION_SCOPED)
@given(
    top=st.dictionaries(site_keys, yaml_values, max_size=3),
    deep=st.lists(st.tuples(nested, yaml_values), max_size=3),
)
def test_any_site_yml_is_loaded_or_refused_one_line_per_problem(tmp_path: Path, top: dict, deep: list) -> None:
    root = make_site(tmp_path / "site", {})
    (root / "site.yml").write_text(yaml.safe_dump(changed(SITE_YML, top, deep), allow_unicode=True), "utf-8")
    try:
        load_site(root)
    except SiteError as error:
        one_line_each(str(error).splitlines(), "site.yml")


@settings(max_examples=50, suppress_health_check=FUNCTION_SCOPED)
@given(junk=st.text(max_size=300))
def test_any_site_yml_text_is_loaded_or_refused(tmp_path: Path, junk: str) -> None:
    root = make_site(tmp_path / "site", {})
    (root / "site.yml").write_text((REPO / "site.yml").read_text(encoding="utf-8") + junk, encoding="utf-8")
    try:
        load_site(root)
    except SiteError as error:
        one_line_each(str(error).splitlines(), "site.yml")


# --- the real build: exit 1, one line per problem, output/ unchanged --------------------


class Built:
    """A site built once; each example changes one file, builds, and puts the file back."""

    def __init__(self, root: Path) -> None:
        self.root = make_site(root, {"posts/bra.md": post()})
        self.output = root.parent / "output"
        result = build_site(self.root, self.output, search=False)
        assert result.returncode == 0, result.stderr
        self.before = snapshot(self.output)

    def refused(self) -> list[str]:
        """The problem lines of a failed build ([] when it built: then that is the new 'before')."""
        result = build_site(self.root, self.output, search=False)
        assert "Traceback" not in result.stderr + result.stdout
        if result.returncode == 0:
            self.before = snapshot(self.output)
            return []
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert lines[-1].startswith("Bygget avbröts;") and lines[-1].endswith("är oförändrad.")
        assert snapshot(self.output) == self.before, "a failed build leaves output/ as it was"
        return lines[:-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("built") / "site")


def snapshot(output: Path) -> dict:
    return {p.relative_to(output): p.stat().st_mtime_ns for p in output.rglob("*")}


@pytest.mark.slow
@settings(max_examples=4, suppress_health_check=FUNCTION_SCOPED)
@given(header=st.dictionaries(header_keys, yaml_values, min_size=1, max_size=5))
def test_a_build_with_any_header_fails_cleanly(built: Built, header: dict) -> None:
    path = built.root / "content/posts/fuzz.md"
    path.write_text("---\n" + yaml.safe_dump(header, allow_unicode=True) + "---\nText.\n", encoding="utf-8")
    try:
        lines = built.refused()
    finally:
        path.unlink()
    if lines:
        one_line_each(lines, "content/posts/fuzz.md")


@pytest.mark.slow
@settings(max_examples=3, suppress_health_check=FUNCTION_SCOPED)
@given(top=st.dictionaries(site_keys, yaml_values, min_size=1, max_size=3))
def test_a_build_with_any_site_yml_fails_cleanly(built: Built, top: dict) -> None:
    site_yml = built.root / "site.yml"
    original = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(yaml.safe_dump(changed(SITE_YML, top, []), allow_unicode=True), "utf-8")
    try:
        lines = built.refused()
    finally:
        site_yml.write_text(original, encoding="utf-8")
    if lines:
        one_line_each(lines, "site.yml")
