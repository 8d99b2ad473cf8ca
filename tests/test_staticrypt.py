"""StatiCrypt v3 in Python: the official tool's vector, round trips, tampering, salt file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
# Pelican imports plugins by folder name from foreningssajt/; tests do the same.

from foreningssajt.members import staticrypt  # noqa: E402
from foreningssajt.members.staticrypt import (  # noqa: E402
    Cipher,
    DecryptionError,
    MalformedPayload,
    TamperedPayload,
    WrongPassword,
    derive_key,
    load_or_create_salt,
)

# The official vector is a copy kept in tests/fixtures/staticrypt/ (conftest.py's `vector`),
# so a fresh clone tests with nothing beside it.

# A fixed key for round trips: deriving per example would cost 0.1 s each.
KEY = "a3" * 32


@pytest.fixture(scope="module")
def cipher() -> Cipher:
    return Cipher(KEY)


# --- the official tool's vector -------------------------------------------------


def test_the_vector_is_part_of_the_repository(vector: dict[str, str]) -> None:
    from conftest import VECTOR_PATH

    assert VECTOR_PATH.is_relative_to(REPO / "tests"), "the vector must live under tests/"
    assert {"password", "salt", "hashed_password", "payload", "plaintext", "wrong_password"} <= set(vector)


def test_vector_derive_matches_official_tool(vector: dict[str, str]) -> None:
    assert derive_key(vector["password"], vector["salt"]) == vector["hashed_password"]


def test_vector_payload_decrypts(vector: dict[str, str]) -> None:
    plain = Cipher(vector["hashed_password"]).decrypt(vector["payload"])
    assert plain.decode("utf-8") == vector["plaintext"]


def test_vector_wrong_password_fails_mac(vector: dict[str, str]) -> None:
    wrong = derive_key(vector["wrong_password"], vector["salt"])
    assert wrong != vector["hashed_password"]
    with pytest.raises(WrongPassword):
        Cipher(wrong).decrypt(vector["payload"])


def test_derive_counts_each_call() -> None:
    before = staticrypt.derivation_count()
    derive_key("x", "0" * 32)
    assert staticrypt.derivation_count() == before + 1
    counted = staticrypt.DERIVATIONS  # the module attribute, read after the call
    assert counted == before + 1


def test_derive_rejects_bad_salt() -> None:
    for salt in ("", "0" * 31, "A" * 32, "g" * 32, "0" * 33):
        with pytest.raises(ValueError):
            derive_key("x", salt)


def test_cipher_rejects_bad_key_and_hides_it() -> None:
    with pytest.raises(ValueError):
        Cipher("00" * 31)
    assert KEY not in repr(Cipher(KEY))


# --- round trips ------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_round_trip_any_text(cipher: Cipher, text: str) -> None:
    payload = cipher.encrypt(text)
    assert cipher.decrypt(payload) == text.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_round_trip_bytes(cipher: Cipher, data: bytes) -> None:
    assert cipher.decrypt(cipher.encrypt(data)) == data


def test_round_trip_empty(cipher: Cipher) -> None:
    payload = cipher.encrypt("")
    # Empty plaintext still pads to one block: mac + iv + 1 block.
    assert len(payload) == 64 + 32 + 32
    assert cipher.decrypt(payload) == b""
    assert cipher.decrypt(cipher.encrypt(b"")) == b""


def test_round_trip_five_megabytes(cipher: Cipher) -> None:
    text = ("Styrelsemöte – protokoll § 1 ✓\n" * 200_000)[: 5 * 1024 * 1024]
    assert cipher.decrypt(cipher.encrypt(text)).decode("utf-8") == text


def test_payload_shape(cipher: Cipher) -> None:
    payload = cipher.encrypt("hej")
    assert payload == payload.lower()
    int(payload, 16)  # all hex
    assert (len(payload) - 96) % 32 == 0


def test_fresh_iv_each_time(cipher: Cipher) -> None:
    a, b = cipher.encrypt("samma text"), cipher.encrypt("samma text")
    assert a != b
    assert a[64:96] != b[64:96]  # the IVs differ, not just the MACs


def test_trailing_newline_tolerated(cipher: Cipher) -> None:
    # Encrypted attachments are text files; an editor may add a final newline.
    assert cipher.decrypt(cipher.encrypt("x") + "\n") == b"x"


# --- tampering -------------------------------------------------------------------


def _flip(payload: str, index: int) -> str:
    new = "0" if payload[index] != "0" else "1"
    return payload[:index] + new + payload[index + 1 :]


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_any_flipped_hex_char_is_rejected(cipher: Cipher, data: st.DataObject) -> None:
    payload = cipher.encrypt(data.draw(st.binary(max_size=100)))
    index = data.draw(st.integers(0, len(payload) - 1))
    with pytest.raises(TamperedPayload):
        cipher.decrypt(_flip(payload, index))


@pytest.mark.parametrize(("part", "index"), [("mac", 0), ("iv", 64), ("ciphertext", 96)])
def test_flip_in_each_part_is_rejected(cipher: Cipher, part: str, index: int) -> None:
    payload = cipher.encrypt("Protokoll, styrelsemöte")
    with pytest.raises(TamperedPayload):
        cipher.decrypt(_flip(payload, index))
    # The last ciphertext char too: padding bytes live there.
    with pytest.raises(TamperedPayload):
        cipher.decrypt(_flip(payload, len(payload) - 1))


@pytest.mark.parametrize("cut", [1, 2, 31, 32, 64])
def test_truncated_payload_is_rejected(cipher: Cipher, cut: int) -> None:
    payload = cipher.encrypt("x" * 40)  # three blocks, so cutting one still leaves two
    with pytest.raises(DecryptionError):
        cipher.decrypt(payload[:-cut])


@pytest.mark.parametrize("bad", ["", "00", "z" * 128, "A" * 128, "0" * 96, "0" * 127, "0" * 64 + "0" * 33])
def test_malformed_payload_is_rejected(cipher: Cipher, bad: str) -> None:
    with pytest.raises(MalformedPayload):
        cipher.decrypt(bad)


def test_payload_from_other_key_is_wrong_password(cipher: Cipher) -> None:
    with pytest.raises(WrongPassword):
        Cipher("b4" * 32).decrypt(cipher.encrypt("hemligt"))


# --- the salt file --------------------------------------------------------------


def test_salt_created_when_absent(tmp_path: Path) -> None:
    path = tmp_path / "members-salt.txt"
    salt = load_or_create_salt(path)
    assert len(salt) == 32 and salt == salt.lower()
    int(salt, 16)
    assert path.read_text(encoding="utf-8").strip() == salt
    assert load_or_create_salt(path) == salt  # stable across builds


def test_salt_read_with_trailing_newline(tmp_path: Path) -> None:
    path = tmp_path / "members-salt.txt"
    path.write_text("4f1c2a7e9b3d5f60718293a4b5c6d7e8\n", encoding="utf-8")
    assert load_or_create_salt(path) == "4f1c2a7e9b3d5f60718293a4b5c6d7e8"


@pytest.mark.parametrize(
    "content",
    ["", "4f1c2a7e", "4F1C2A7E9B3D5F60718293A4B5C6D7E8", "salt: 4f1c2a7e9b3d5f60718293a4b5c6d7e8"],
)
def test_malformed_salt_is_one_line_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "members-salt.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_or_create_salt(path)
    message = str(info.value)
    assert message.startswith("members-salt.txt: salt: ")
    assert "\n" not in message
    assert path.read_text(encoding="utf-8") == content  # never overwritten


def test_committed_salt_is_valid() -> None:
    salt_file = REPO / "members-salt.txt"
    assert salt_file.is_file(), "members-salt.txt must be committed at the repo root"
    assert load_or_create_salt(salt_file) == salt_file.read_text(encoding="utf-8").strip()
