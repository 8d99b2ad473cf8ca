"""StatiCrypt v3, the format of the members' area, on the ``cryptography`` package.

We write the format ourselves (see DESIGN.md, "The members' area") so that the
official StatiCrypt tool can open our pages and our pages behave as its users expect:

- hashed password: PBKDF2-HMAC-SHA1 1,000 rounds, then PBKDF2-HMAC-SHA256 14,000,
  then PBKDF2-HMAC-SHA256 585,000. Each round gives 32 bytes written as lowercase hex,
  and that hex *text* is the next round's password. The salt goes in as the UTF-8 of
  its hex text, never decoded. (The odd chain exists because StatiCrypt raised its
  iteration count twice while keeping old hashes upgradeable; we must match it.)
- payload: ``hex(mac) + hex(iv) + hex(ciphertext)``; AES-256-CBC with PKCS#7 and a
  fresh 16-byte IV; key = the 32 bytes of the hashed password; mac = HMAC-SHA256 with
  the same key over the ASCII of ``hex(iv) + hex(ciphertext)``.

The derivation costs about 0.1 s, so a build derives once and reuses one Cipher for
every page and attachment. ``DERIVATIONS`` counts derivations so tests can prove it.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac, padding
from cryptography.hazmat.primitives.ciphers import Cipher as _AESCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from foreningssajt.siteconfig.errors import SiteError

__all__ = [
    "DERIVATIONS",
    "Cipher",
    "DecryptionError",
    "MalformedPayload",
    "SaltError",
    "TamperedPayload",
    "WrongPassword",
    "derivation_count",
    "derive_key",
    "load_or_create_salt",
]

# (hash, iterations) of each round, in order. Changing this breaks every payload.
_ROUNDS: tuple[tuple[type[hashes.HashAlgorithm], int], ...] = (
    (hashes.SHA1, 1_000),
    (hashes.SHA256, 14_000),
    (hashes.SHA256, 585_000),
)

_SALT_RE = re.compile(r"[0-9a-f]{32}")
_KEY_RE = re.compile(r"[0-9a-f]{64}")
# The official tool writes lowercase hex; accepting only that keeps the MAC input
# (the hex text itself) unambiguous.
_HEX_RE = re.compile(r"[0-9a-f]*")
_MAC_HEX = 64  # HMAC-SHA256, 32 bytes
_IV_HEX = 32  # 16 bytes
_BLOCK_HEX = 32  # one AES block

#: How many times derive_key() has run in this process (tests count per build).
DERIVATIONS = 0


def derivation_count() -> int:
    """How many key derivations this process has done so far."""
    return DERIVATIONS


def derive_key(password: str, salt_hex: str) -> str:
    """The StatiCrypt v3 "hashed password": 64 lowercase hex characters.

    The password is used exactly as typed (no Unicode normalisation), as the browser
    and the official tool do; normalising here would lock out what they accept.
    """
    global DERIVATIONS
    if not isinstance(password, str):
        raise TypeError("password must be str")
    if not isinstance(salt_hex, str) or not _SALT_RE.fullmatch(salt_hex):
        raise ValueError("salt must be 32 lowercase hex characters")
    DERIVATIONS += 1
    salt = salt_hex.encode("ascii")
    text = password
    for algorithm, iterations in _ROUNDS:
        kdf = PBKDF2HMAC(algorithm=algorithm(), length=32, salt=salt, iterations=iterations)
        text = kdf.derive(text.encode("utf-8")).hex()
    return text


class DecryptionError(Exception):
    """A payload could not be opened with this key."""


class WrongPassword(DecryptionError):
    """The MAC does not match: most likely another password (or salt) made it."""


class TamperedPayload(DecryptionError):
    """The payload was changed or damaged after it was made."""


class MalformedPayload(TamperedPayload):
    """Not a payload at all: wrong length or not lowercase hex (e.g. truncated)."""


class _MacMismatch(WrongPassword, TamperedPayload):
    # A MAC mismatch cannot tell a wrong key from a changed payload, so it is both:
    # callers catching either (or DecryptionError) get it.
    pass


class Cipher:
    """Encrypts and decrypts StatiCrypt v3 payloads with one hashed password."""

    def __init__(self, hashed_password_hex: str) -> None:
        if not isinstance(hashed_password_hex, str) or not _KEY_RE.fullmatch(hashed_password_hex):
            raise ValueError("hashed password must be 64 lowercase hex characters")
        # AES-256 key and HMAC key are the same 32 bytes, as in StatiCrypt.
        self._key = bytes.fromhex(hashed_password_hex)

    def __repr__(self) -> str:
        # Never show the key: build logs and tracebacks end up in CI output.
        return "Cipher(<hidden>)"

    def _mac(self, signed_hex: str) -> hmac.HMAC:
        mac = hmac.HMAC(self._key, hashes.SHA256())
        mac.update(signed_hex.encode("ascii"))
        return mac

    def encrypt(self, plaintext: bytes | str) -> str:
        """Encrypt text (as UTF-8) or bytes; a fresh random IV every call."""
        data = plaintext.encode("utf-8") if isinstance(plaintext, str) else bytes(plaintext)
        iv = os.urandom(16)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        encryptor = _AESCipher(algorithms.AES(self._key), modes.CBC(iv)).encryptor()
        signed_hex = iv.hex() + (encryptor.update(padded) + encryptor.finalize()).hex()
        return self._mac(signed_hex).finalize().hex() + signed_hex

    def decrypt(self, payload: str) -> bytes:
        """The plaintext bytes; raises a DecryptionError subclass if it cannot."""
        if not isinstance(payload, str):
            raise MalformedPayload("payload must be str (hex text)")
        payload = payload.strip()  # a trailing newline in a .enc file is harmless
        body = len(payload) - _MAC_HEX - _IV_HEX
        if body < _BLOCK_HEX or body % _BLOCK_HEX or not _HEX_RE.fullmatch(payload):
            raise MalformedPayload("payload is not StatiCrypt v3 hex of a valid length")
        mac_hex, signed_hex = payload[:_MAC_HEX], payload[_MAC_HEX:]
        try:
            # HMAC.verify compares in constant time.
            self._mac(signed_hex).verify(bytes.fromhex(mac_hex))
        except InvalidSignature:
            raise _MacMismatch("wrong password, or the payload was changed") from None
        iv = bytes.fromhex(signed_hex[:_IV_HEX])
        ciphertext = bytes.fromhex(signed_hex[_IV_HEX:])
        decryptor = _AESCipher(algorithms.AES(self._key), modes.CBC(iv)).decryptor()
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        try:
            return unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            # Authentic yet badly padded: whoever made it had the key but a broken encoder.
            raise TamperedPayload("bad padding in an authentic payload") from None


class SaltError(SiteError, ValueError):
    """A malformed salt file, told in the project's one-line error form."""


def load_or_create_salt(path: str | os.PathLike[str]) -> str:
    """The site's salt from ``members-salt.txt``; a new random one if the file is absent.

    The salt must stay the same between builds: a new salt changes every payload and
    ends every remembered login. Hence it is a committed file, created once.
    """
    path = Path(path)
    name = path.name  # the file sits at the site root: its name is what the writer sees
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        salt = secrets.token_hex(16)
        try:
            with path.open("x", encoding="utf-8") as f:  # "x": never overwrite a salt
                f.write(salt + "\n")
        except FileExistsError:
            return load_or_create_salt(path)  # another process made it first
        return salt
    except UnicodeDecodeError:
        text = "\ufffd"
    salt = text.strip()
    if not _SALT_RE.fullmatch(salt):
        shown = salt if len(salt) <= 40 else salt[:40] + "…"
        raise SaltError(
            name,
            "salt",
            f"expected 32 characters 0-9 a-f on one line, found {shown!r}; "
            "restore the committed file from git, or delete it to make a new salt "
            "(members must then log in again)",
        )
    return salt
