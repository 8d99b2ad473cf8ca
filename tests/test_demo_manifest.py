"""The demo site's output, file by file, against a stored manifest of hashes.

A refactoring must not change what the build writes: public files byte for byte, and
the members' files after decryption (their IVs are random on every build, as they must
be). When a change is meant to change the output, look at the difference, then write
the manifest again:

    .venv/bin/python tests/test_demo_manifest.py

The build uses a fixed clock, no search index (Pagefind's files are its own business)
and the demo passwords.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from sitebuild import REPO, build_site

from foreningssajt.members.password import DEMO_PASSWORD
from foreningssajt.members.staticrypt import Cipher, DecryptionError, derive_key

MANIFEST = Path(__file__).parent / "fixtures" / "demo-manifest.json"
NOW = "2026-12-01T12:00:00+00:00"
BOARD_DEMO_PASSWORD = "demo-styrelse-2026"
MEMBERS = "medlem/"
# A page's encrypted parts (the payload, a level's wrapped key): long hex strings in JSON,
# or a file that is one hex payload (attachments, the members' search index).
PAYLOAD = re.compile(r'"([0-9a-f]{64,})"')
HEX_FILE = re.compile(rb"\A[0-9a-f]{64,}\s*\Z")


def build_demo(output: Path) -> None:
    env = {"MEMBERS_PASSWORD": None, "BOARD_PASSWORD": None}
    result = build_site(REPO, output, search=False, now=NOW, full=True, env=env)
    assert result.returncode == 0, result.stderr


def manifest_of(output: Path) -> dict[str, str]:
    """{path: sha256} of every file; a members' file hashed over its decrypted parts."""
    salt = (REPO / "members-salt.txt").read_text(encoding="ascii").strip()
    ciphers = [Cipher(derive_key(password, salt)) for password in (DEMO_PASSWORD, BOARD_DEMO_PASSWORD)]
    found = {}
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        name = path.relative_to(output).as_posix()
        data = path.read_bytes()
        if name.startswith(MEMBERS):
            data = _decrypted(data, ciphers)
        found[name] = hashlib.sha256(data).hexdigest()
    return found


def _decrypted(data: bytes, ciphers: list[Cipher]) -> bytes:
    """The file with each encrypted part replaced by its plaintext (and which key opened it)."""
    if HEX_FILE.match(data):
        return _open(data.decode("ascii").strip(), ciphers)
    text = data.decode("utf-8")
    return PAYLOAD.sub(lambda hexed: repr(_open(hexed.group(1), ciphers)), text).encode("utf-8")


def _open(payload: str, ciphers: list[Cipher]) -> bytes:
    for number, cipher in enumerate(ciphers):
        try:
            return f"level {number}:".encode() + cipher.decrypt(payload)
        except DecryptionError:
            continue
    raise AssertionError("a members' payload opens with neither demo password")


def test_the_demo_output_matches_the_stored_manifest(tmp_path: Path) -> None:
    output = tmp_path / "output"
    build_demo(output)
    stored = json.loads(MANIFEST.read_text(encoding="utf-8"))
    built = manifest_of(output)
    missing, extra = sorted(stored.keys() - built.keys()), sorted(built.keys() - stored.keys())
    changed = sorted(name for name in stored.keys() & built.keys() if stored[name] != built[name])
    assert not (missing or extra or changed), (
        f"the demo output differs from tests/fixtures/demo-manifest.json: missing {missing[:10]}, "
        f"new {extra[:10]}, changed {changed[:10]}; if the change is meant, run python tests/test_demo_manifest.py"
    )


def test_the_manifest_sees_a_changed_byte_and_a_changed_secret(tmp_path: Path) -> None:
    """The comparison is not blind: a public byte and a members' plaintext both count."""
    output = tmp_path / "output"
    build_demo(output)
    before = manifest_of(output)
    page = output / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b" </body>"))
    attachment = next((output / "medlem" / "filer").glob("*.bin"))
    salt = (REPO / "members-salt.txt").read_text(encoding="ascii").strip()
    cipher = Cipher(derive_key(DEMO_PASSWORD, salt))
    try:
        plain = cipher.decrypt(attachment.read_text(encoding="ascii"))
    except DecryptionError:  # a board attachment
        cipher = Cipher(derive_key(BOARD_DEMO_PASSWORD, salt))
        plain = cipher.decrypt(attachment.read_text(encoding="ascii"))
    attachment.write_text(cipher.encrypt(plain + b"x"), encoding="ascii")
    after = manifest_of(output)
    assert {name for name in before if before[name] != after[name]} == {
        "index.html",
        attachment.relative_to(output).as_posix(),
    }


if __name__ == "__main__":  # write the manifest from a fresh build of the demo
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        build_demo(Path(folder) / "output")
        MANIFEST.write_text(json.dumps(manifest_of(Path(folder) / "output"), indent=1) + "\n", encoding="utf-8")
    sys.exit(print(f"{MANIFEST} written"))
