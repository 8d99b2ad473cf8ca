"""The browser unlock script's crypto, run in Node's WebCrypto (same API as browsers).

Checks foreningssajt/theme/static/js/members.js against the official StatiCrypt vector and against
payloads made by foreningssajt/members/staticrypt.py, so that what the build writes is what
the browser can open. Page behaviour (form, focus, storage) is tested in Chromium by
the members' generator tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

from foreningssajt.members.staticrypt import Cipher, derive_key  # noqa: E402

SCRIPT = REPO / "foreningssajt" / "theme" / "static" / "js" / "members.js"

# Loads members.js as a browser would (a classic script, not a module), then runs
# the jobs given on stdin. Byte results come back as hex; null means "rejected".
RUNNER = r"""
const fs = require("fs");
const vm = require("vm");
vm.runInThisContext(fs.readFileSync(process.argv[1], "utf8"), { filename: process.argv[1] });
const { deriveKey, decryptPayload, bytesToHex } = globalThis.MembersCrypto;
(async () => {
  const jobs = JSON.parse(fs.readFileSync(0, "utf8"));
  const out = [];
  for (const job of jobs) {
    if (job.op === "derive") {
      out.push(await deriveKey(job.password, job.salt));
    } else {
      const bytes = await decryptPayload(job.payload, job.key);
      out.push(bytes === null ? null : bytesToHex(bytes));
    }
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
"""


def run_node(jobs: list[dict[str, str]]) -> list[str | None]:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node (20 or later) is needed to test foreningssajt/theme/static/js/members.js")
        pytest.skip("node not installed")
    result = subprocess.run(
        [node, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_js_opens_official_vector(vector: dict[str, str]) -> None:
    key, wrong_key, plain, wrong_plain = run_node(
        [
            {"op": "derive", "password": vector["password"], "salt": vector["salt"]},
            {"op": "derive", "password": vector["wrong_password"], "salt": vector["salt"]},
            {"op": "decrypt", "payload": vector["payload"], "key": vector["hashed_password"]},
            {
                "op": "decrypt",
                "payload": vector["payload"],
                "key": derive_key(vector["wrong_password"], vector["salt"]),
            },
        ]
    )
    assert key == vector["hashed_password"]
    assert wrong_key != key
    assert plain is not None
    assert bytes.fromhex(plain).decode("utf-8") == vector["plaintext"]
    assert wrong_plain is None


def test_js_opens_python_payloads() -> None:
    salt = "4f1c2a7e9b3d5f60718293a4b5c6d7e8"
    password = "Medlem – ÅÄÖ ✓ 2026"
    key = derive_key(password, salt)
    cipher = Cipher(key)
    samples: list[bytes] = [
        b"",
        "<h1>Protokoll</h1><p>Styrelsemöte – beslut: å ä ö ✓ 🌹</p>".encode(),
        bytes(range(256)) * 5,  # an attachment: arbitrary bytes, not UTF-8
        os.urandom(100_000),
    ]
    payloads = [cipher.encrypt(s) for s in samples]
    tampered = payloads[1][:70] + ("0" if payloads[1][70] != "0" else "1") + payloads[1][71:]
    jobs = [{"op": "derive", "password": password, "salt": salt}]
    jobs += [{"op": "decrypt", "payload": p, "key": key} for p in payloads]
    jobs += [
        {"op": "decrypt", "payload": tampered, "key": key},
        {"op": "decrypt", "payload": payloads[1][:-32], "key": key},  # truncated
        {"op": "decrypt", "payload": payloads[1][:-1], "key": key},
        {"op": "decrypt", "payload": payloads[1], "key": "c5" * 32},  # another key
        {"op": "decrypt", "payload": payloads[1] + "\n", "key": key},  # file newline
    ]
    derived, *results = run_node(jobs)
    assert derived == key
    opened = results[: len(samples)]
    assert [bytes.fromhex(r) if r is not None else None for r in opened] == samples
    tampered_r, truncated_r, cut_r, other_key_r, newline_r = results[len(samples) :]
    assert tampered_r is None
    assert truncated_r is None
    assert cut_r is None
    assert other_key_r is None
    assert newline_r is not None and bytes.fromhex(newline_r) == samples[1]
