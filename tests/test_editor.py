"""The web editor's configuration, its place in the build, and the deploy workflows."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sitebuild import REPO, make_site, site_settings

from foreningssajt.content_rules import rules
from foreningssajt.editor.admin import write_admin
from foreningssajt.editor.backend import EditorBackend, read_backend
from foreningssajt.editor.config import decap_config
from foreningssajt.editor.labels import MEMBERS_NOTE
from foreningssajt.siteconfig.errors import SiteError
from foreningssajt.siteconfig.publication import KINDS
from foreningssajt.siteconfig.session import SETTING

SITE = yaml.safe_load((REPO / "site.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config() -> dict:
    return decap_config(site_settings(), read_backend(REPO), local=True)


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def fields(config: dict, name: str) -> dict[str, dict]:
    return {f["name"]: f for f in collection(config, name)["fields"]}


def test_every_kind_of_content_is_a_collection_with_the_contracts_keys(config: dict) -> None:
    assert config["locale"] == "sv"
    assert [c["name"] for c in config["collections"]] == [kind.name for kind in KINDS]
    for kind in KINDS:
        found = fields(config, kind.name)
        contract = rules.TYPES[kind.folder]
        assert collection(config, kind.name)["folder"] == f"content/{kind.folder}"
        assert {k for k, f in found.items() if f["required"]} == set(contract.required), kind.name
        assert set(contract.optional) <= set(found), kind.name
        assert found["body"]["widget"] == "markdown"


def test_ids_from_site_yml_are_choices_and_fixed_values_are_choices(config: dict) -> None:
    ids = {key: [entry["id"] for entry in SITE[key]] for key in ("venues", "committees", "meeting_kinds")}
    values = lambda field: [option["value"] if isinstance(option, dict) else option for option in field["options"]]  # noqa: E731
    assert values(fields(config, "event")["location"]) == ids["venues"]
    assert values(fields(config, "report")["committee"]) == ids["committees"]
    assert values(fields(config, "minutes")["meeting"]) == ids["meeting_kinds"]
    assert values(fields(config, "report")["phase"]) == ["before", "after"]
    assert fields(config, "event")["start"]["format"] == "YYYY-MM-DD HH:mm"  # what the calendar reads
    assert fields(config, "plan")["year"]["value_type"] == "int"


def test_members_collections_say_they_are_encrypted_and_keep_uploads_beside_the_item(config: dict) -> None:
    assert config["media_folder"] == "content/images"
    for kind in KINDS:
        found = collection(config, kind.name)
        if kind.protected:
            assert found["description"] == MEMBERS_NOTE
            assert found["fields"][0]["hint"] == MEMBERS_NOTE
            assert found["media_folder"] == ""  # next to the item, under content/members/
        else:
            assert "media_folder" not in found and "description" not in found
    attachment = fields(config, "minutes")["attachments"]["field"]
    assert (attachment["widget"], attachment["media_folder"]) == ("file", "")
    image = fields(config, "post")["image"]
    assert (image["media_folder"], image["public_folder"]) == ("/content/images", "images")


def test_local_backend_only_for_a_development_build(tmp_path: Path) -> None:
    backend = EditorBackend(host="gitlab", repo="forening/webbplats", app_id="abc123", local_port=8099)
    local = decap_config(site_settings(), backend, local=True)
    assert local["local_backend"]["url"] == "http://127.0.0.1:8099/api/v1"
    published = decap_config(site_settings(), backend, local=False)
    assert "local_backend" not in published
    assert published["backend"] == {
        "name": "gitlab",
        "repo": "forening/webbplats",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "abc123",
    }


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("host: bitbucket\nrepo: a/b\n", "editor.yml: host: bitbucket känns inte igen; skriv github eller gitlab"),
        ("host: github\n", "editor.yml: repo: saknas eller har fel form; skriv förening/webbplats"),
        ("host: gitlab\nrepo: a/b\n", "editor.yml: app_id: saknas; skriv Application ID från GitLab"),
        ("local_port: 80\n", "editor.yml: local_port: 80 är inte ett portnummer"),
        ("hots: github\n", "editor.yml: hots: okänd nyckel; kända nycklar är host, repo"),
    ],
)
def test_a_mistake_in_editor_yml_is_one_swedish_line(tmp_path: Path, text: str, line: str) -> None:
    (tmp_path / "editor.yml").write_text(text, encoding="utf-8")
    with pytest.raises(SiteError) as raised:
        read_backend(tmp_path)
    assert str(raised.value).startswith(line)


def test_a_published_site_without_a_repository_has_no_admin(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {})
    settings = site_settings(root, tmp_path / "out", publishing=True)
    assert write_admin(settings[SETTING], settings) is None
    (root / "editor.yml").write_text("host: github\nrepo: forening/webbplats\n", encoding="utf-8")
    written = write_admin(settings[SETTING], settings)
    published = yaml.safe_load((written / "config.yml").read_text(encoding="utf-8"))
    assert published["backend"]["repo"] == "forening/webbplats" and "local_backend" not in published


# ---- /admin/ in the demo site's build -------------------------------------------------


def test_admin_is_noindex_and_in_neither_sitemap_nor_search(demo_output: Path) -> None:
    page = (demo_output / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert (demo_output / "admin" / "decap-cms.js").stat().st_size > 1_000_000  # the real bundle, served here
    assert "/admin/" not in (demo_output / "sitemap.xml").read_text(encoding="utf-8")
    index = "\n".join(
        gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        for path in (demo_output / "pagefind").rglob("*.pf_*")
    )
    assert "/nyheter/" in index  # the check below can fail: this is the real index
    assert "admin/" not in index


def test_no_public_page_loads_or_links_the_editor(demo_output: Path) -> None:
    loads = re.compile(r"decap-cms|/admin/|config\.yml")
    found = [
        path.relative_to(demo_output).as_posix()
        for path in demo_output.rglob("*")
        if path.is_file()
        and not path.relative_to(demo_output).as_posix().startswith("admin/")
        and path.suffix in {".html", ".js", ".css", ".xml", ".json", ".txt", ".atom", ".ics"}
        and loads.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not found, f"public files that reach the editor: {found}"


# ---- the deploy workflows ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "schema"),
    [(".github/workflows/publish.yml", "vendor.github-workflows"), (".gitlab-ci.yml", "vendor.gitlab-ci")],
)
def test_deploy_workflows_match_the_published_schemas(path: str, schema: str) -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run(
        [str(checker), "--builtin-schema", schema, str(REPO / path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_deploy_workflows_publish_into_their_own_folder_with_the_password_from_secrets() -> None:
    github = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["build"]["steps"]
    build = next(step for step in steps if "make publish" in step.get("run", ""))
    assert build["env"]["MEMBERS_PASSWORD"] == "${{ secrets.MEMBERS_PASSWORD }}"
    assert {"push", "schedule", "workflow_dispatch"} <= set(github[True])  # YAML reads the key `on` as True
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "make publish PUBLISH_DIR=public" in gitlab["pages"]["script"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "PUBLISH_DIR ?= output.publish" in makefile  # make serve's output/ is left alone
    assert "--publish --output $(PUBLISH_DIR)" in makefile
