"""Incremental builds (foreningssajt/cli/incremental.py) give the same output as a clean build.

Random edit sequences (add, change body or header, delete, rename; posts, pages,
events, reports and protected items) are applied to a small generated site, each
followed by an incremental build; the result is compared with a clean build of the
same sources: public files byte for byte, encrypted files after decryption (their IVs
are fresh every build).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sitebuild import run_build

from foreningssajt.members.password import DEMO_PASSWORD
from foreningssajt.members.staticrypt import Cipher, DecryptionError, derive_key

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from generate import Sizes, generate  # noqa: E402

NOW = "2026-06-01T10:00:00+00:00"
SIZES = Sizes(posts=6, reports=2, events=3, series=1, plans=1, protected=3, attachments=1, attachment_kb=2, pages=2)
# StatiCrypt payloads: an HMAC, an IV and ciphertext, all hex (members' pages, .bin attachments).
HEX_BLOB = re.compile(rb"[0-9a-f]{160,}")
# An Atom feed with no entries is stamped with the wall clock (feedgenerator's
# latest_post_date), so two clean builds differ there too; only that stamp is ignored.
EMPTY_FEED_UPDATED = re.compile(rb"<updated>[^<]*</updated>")


def build(root: Path, output: Path, *extra: str, password: str | None = None) -> tuple[int, dict, str]:
    """Run foreningssajt/cli/build.py (in this process: sitebuild.run_build); (exit code, its --stats figures, stderr).

    `password` is the MEMBERS_PASSWORD the build sees (None: unset, the demo password).
    """
    stats = output.with_name(output.name + "-stats.json")
    stats.unlink(missing_ok=True)
    arguments = ["--root", str(root), "--output", str(output), "--no-search", "--now", NOW, "--stats", str(stats)]
    done = run_build([*arguments, *extra], env={"MEMBERS_PASSWORD": password})
    figures = json.loads(stats.read_text()) if stats.exists() else {}
    return done.returncode, figures, done.stderr


def opened(data: bytes, cipher: Cipher) -> bytes:
    """`data` with every StatiCrypt payload in it replaced by its plaintext."""

    def plain(match: re.Match[bytes]) -> bytes:
        try:
            return b"<decrypted>" + cipher.decrypt(match.group().decode()) + b"</decrypted>"
        except DecryptionError:
            return b"<not decryptable with the members' key>"

    return HEX_BLOB.sub(plain, data)


def comparable(name: str, data: bytes, cipher: Cipher) -> bytes:
    if name.endswith(".atom") and b"<entry>" not in data:
        data = EMPTY_FEED_UPDATED.sub(b"<updated/>", data)
    return opened(data, cipher)


def differences(incremental: Path, clean: Path, cipher: Cipher) -> list[str]:
    """Files that differ: missing on one side, or different bytes (after decryption)."""

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    names_a, names_b = files(incremental), files(clean)
    found = [f"only in one tree: {name}" for name in sorted(names_a ^ names_b)]
    for name in sorted(names_a & names_b):
        a, b = (incremental / name).read_bytes(), (clean / name).read_bytes()
        if a != b and comparable(name, a, cipher) != comparable(name, b, cipher):
            found.append(f"differs: {name}")
    return found


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site, built once; each example starts from a copy (state and cache included)."""
    root = tmp_path_factory.mktemp("incremental") / "site"
    generate(root, SIZES, seed=11)
    code, figures, stderr = build(root, root / "output")
    assert code == 0, stderr
    assert figures["mode"] == "full"
    return root


def copy_site(base: Path, to: Path) -> Path:
    shutil.rmtree(to, ignore_errors=True)
    shutil.copytree(base, to, symlinks=True)
    # The state names the output folder by its path: move it along with the copy.
    return to


# ---- edits ---------------------------------------------------------------------

FOLDERS = {"post": "posts", "page": "pages", "event": "events", "report": "reports", "protected": "members"}


def pick(root: Path, kind: str, number: int) -> Path | None:
    files = sorted((root / "content" / FOLDERS[kind]).rglob("*.md"))
    return files[number % len(files)] if files else None


def change_body(path: Path, number: int) -> None:
    with path.open("a", encoding="utf-8") as text:
        text.write(f"\nEtt tillägg i texten, ändring nummer {number}.\n")


def change_title(path: Path, number: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: Ändrad rubrik nummer {number}", text, count=1), "utf-8")


def add_post(root: Path, number: int) -> None:
    header = f"---\ntitle: Ny nyhet {number}\ndate: 2026-0{1 + number % 5}-1{number % 9} 10:00\n"
    header += "summary: En kort ingress.\ntags: [skola]\n---\n\n"
    (root / "content" / "posts" / f"ny-nyhet-{number}.md").write_text(header + "En ny text om skolan.\n", "utf-8")


def rename(path: Path, number: int) -> None:
    path.rename(path.with_name(f"{path.stem}-flyttad-{number}{path.suffix}"))


EDITS = {
    "post body": ("post", change_body),
    "post title": ("post", change_title),
    "post renamed": ("post", rename),
    "post deleted": ("post", lambda path, _n: path.unlink()),
    "page body": ("page", change_body),
    "event body": ("event", change_body),
    "event title": ("event", change_title),
    "event renamed": ("event", rename),
    "report body": ("report", change_body),
    "report deleted": ("report", lambda path, _n: path.unlink()),
    "protected body": ("protected", change_body),
    "protected title": ("protected", change_title),
    "protected deleted": ("protected", lambda path, _n: path.unlink()),
}


def apply(root: Path, edit: str, number: int) -> None:
    if edit == "post added":
        add_post(root, number)
        return
    kind, change = EDITS[edit]
    path = pick(root, kind, number)
    if path is not None:
        change(path, number)


edits = st.lists(st.tuples(st.sampled_from([*EDITS, "post added"]), st.integers(0, 999)), min_size=1, max_size=3)


# No shrinking: each example is several builds; the failing sequence is short already.
@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=edits)
def test_incremental_builds_equal_a_clean_build(base: Path, tmp_path: Path, sequence: list) -> None:
    root = copy_site(base, tmp_path / "site")
    last = 0
    for edit, number in sequence:
        apply(root, edit, number)
        last, _, stderr = build(root, root / "output")
    clean_root = tmp_path / "clean"
    shutil.rmtree(clean_root, ignore_errors=True)
    shutil.copytree(root, clean_root, ignore=shutil.ignore_patterns(".cache", "output", ".output*"))
    code, _, clean_stderr = build(clean_root, clean_root / "output", "--full")
    assert code == last, (stderr, clean_stderr)
    if code == 0:
        cipher = Cipher(derive_key(DEMO_PASSWORD, (root / "members-salt.txt").read_text().strip()))
        assert differences(root / "output", clean_root / "output", cipher) == []


# ---- the modes, one by one ---------------------------------------------------------


def up_to_date_copy(base: Path, to: Path) -> Path:
    """A copy of the base site whose last build used the code as it is now.

    The code is an input of every build; when the repository's code changed since the
    base was built (other work in the same tree), this build is a full one.
    """
    root = copy_site(base, to)
    code, _, stderr = build(root, root / "output")
    assert code == 0, stderr
    return root


def test_no_change_builds_nothing_and_leaves_output_alone(base: Path, tmp_path: Path) -> None:
    root = up_to_date_copy(base, tmp_path / "site")
    before = {p: p.stat().st_mtime_ns for p in (root / "output").rglob("*") if p.is_file()}
    code, figures, stderr = build(root, root / "output")
    assert code == 0, stderr
    assert figures["mode"] == "unchanged", figures.get("why")
    assert {p: p.stat().st_mtime_ns for p in (root / "output").rglob("*") if p.is_file()} == before


def test_a_body_edit_writes_only_that_page(base: Path, tmp_path: Path) -> None:
    root = up_to_date_copy(base, tmp_path / "site")
    post = pick(root, "post", 0)
    change_body(post, 1)
    code, figures, stderr = build(root, root / "output")
    assert code == 0, stderr
    assert figures["mode"] == "selective", figures.get("why")
    assert figures["counts"]["files_reused"] > 10
    assert figures["counts"].get("key_derivations", 0) == 0  # the members' files stay as they were
    assert "ändring nummer 1" in next((root / "output" / "nyheter").glob(f"*/{post.stem}/index.html")).read_text()


@pytest.mark.parametrize(("edit", "kind"), [(change_title, "post"), (change_body, "protected"), (change_body, "event")])
def test_other_edits_build_everything(base: Path, tmp_path: Path, edit: object, kind: str) -> None:
    root = copy_site(base, tmp_path / "site")
    edit(pick(root, kind, 1), 2)  # type: ignore[operator]
    code, figures, stderr = build(root, root / "output")
    assert code == 0, stderr
    assert figures["mode"] == "full"


def test_a_hand_edited_output_is_rebuilt(base: Path, tmp_path: Path) -> None:
    root = copy_site(base, tmp_path / "site")
    (root / "output" / "index.html").write_text("ändrad för hand", encoding="utf-8")
    code, figures, stderr = build(root, root / "output")
    assert code == 0, stderr
    assert figures["mode"] == "full"
    assert "ändrad för hand" not in (root / "output" / "index.html").read_text(encoding="utf-8")


def test_a_failed_build_keeps_output_and_the_next_one_catches_up(base: Path, tmp_path: Path) -> None:
    root = copy_site(base, tmp_path / "site")
    post = pick(root, "post", 2)
    good = post.read_text(encoding="utf-8")
    post.write_text(good.replace("date: ", "date: inte ett datum ", 1), encoding="utf-8")
    code, _, _ = build(root, root / "output")
    assert code == 1
    post.write_text(good + "\nRättad och utökad.\n", encoding="utf-8")
    code, _, stderr = build(root, root / "output")
    assert code == 0, stderr
    assert "Rättad och utökad" in next((root / "output" / "nyheter").glob(f"*/{post.stem}/index.html")).read_text()


def test_a_new_password_rebuilds_the_members_area_with_it(base: Path, tmp_path: Path) -> None:
    root = copy_site(base, tmp_path / "site")
    password = "Ett-nytt-lösenord-för-medlemmar-42"
    code, figures, stderr = build(root, root / "output", password=password)
    assert code == 0, stderr
    assert figures["mode"] == "full" and figures["why"] in ("a password changed", "the code changed")
    state = next((root / ".cache" / "builds").glob("*.json")).read_text(encoding="utf-8")
    assert password not in state
    page = (root / "output" / "medlem" / "index.html").read_bytes()
    salt = (root / "members-salt.txt").read_text().strip()
    assert b"<decrypted>" in opened(page, Cipher(derive_key(password, salt)))
    assert b"<decrypted>" not in opened(page, Cipher(derive_key(DEMO_PASSWORD, salt)))
