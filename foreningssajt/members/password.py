"""The members' password: from the environment only, never from a file in the repo, and strong.

A published members' area is a set of encrypted files anyone can download and try
passwords against at leisure, so `make publish` refuses a password that is easy to
guess: by zxcvbn's estimate of the guesses needed (repeats, runs like 12345, keyboard
patterns, common words and names), not by length alone; and the demo password or the
association's own name in any case or spacing. A development build falls back to the
public demo password, and every locked page says so.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from foreningssajt.siteconfig.errors import Invalid, SiteError

ENV_NAME = "MEMBERS_PASSWORD"
# Documented in the README: anyone may know it, so only development builds use it,
# and every locked page of such a build says so.
DEMO_PASSWORD = "demo-medlem-2026"
MIN_LENGTH = 14
# zxcvbn's top score: at least 10^10 guesses, which with StatiCrypt's 600,000 PBKDF2
# rounds per guess is centuries for one computer.
MIN_SCORE = 4
HOW_TO_PICK = "välj fyra slumpade ord, t.ex. {env}='kanel spårvagn fönster blåbär' make publish (men inte de orden)"
_NOT_LETTER = re.compile(r"[\W_]+")
# zxcvbn's warnings, in Swedish: the part of the line that says why.
_WARNINGS = {
    "Repeats like": "upprepade tecken",
    "Sequences like": "en följd som abc eller 6543",
    "Straight rows": "en rad tangenter",
    "Short keyboard patterns": "ett tangentmönster",
    "Recent years": "ett årtal",
    "Dates are": "ett datum",
    "This is a top": "ett av de vanligaste lösenorden",
    "This is similar to": "likt ett vanligt lösenord",
    "A word by itself": "ett enda ord",
    "Names and surnames": "ett namn",
    "Common names": "ett vanligt namn",
}


def members_password(settings: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """The password to encrypt with, and whether it is the demo password.

    A publishing build refuses a missing or weak password with one Swedish line
    saying why and how to pick a good one; a development build falls back to the demo.
    """
    environ = os.environ if environ is None else environ
    password = environ.get(ENV_NAME, "")
    if settings.get("PUBLISHING"):
        problem = weakness(password, association_name(settings))
        if problem:
            raise SiteError(ENV_NAME, "", problem.message + "; " + HOW_TO_PICK, env=ENV_NAME, **problem.params)
    if not password:
        return DEMO_PASSWORD, True
    return password, password == DEMO_PASSWORD


def association_name(settings: Mapping[str, Any]) -> str:
    site = settings.get("SITE") or {}
    return str(site.get("name") or settings.get("SITENAME") or "")


def weakness(password: str, name: str = "", demo: str = DEMO_PASSWORD) -> Invalid | None:
    """Why a password is too easy to guess (a Swedish clause with its values), or None if it is strong."""
    folded = _folded(password)
    if not password:
        return Invalid("är inte satt, och en publicerad webbplats behöver medlemmarnas lösenord")
    if not password.strip():
        return Invalid("består bara av mellanslag")
    if demo and _folded(demo) in folded:
        return Invalid("är demolösenordet, som alla kan läsa i README")
    if name and _folded(name) and _folded(name) in folded:
        return Invalid("innehåller föreningens namn, som alla vet")
    if len(password) < MIN_LENGTH:
        return Invalid("är för kort ({length} tecken; minst {least})", length=len(password), least=MIN_LENGTH)
    return _guessable(password, name)


def _guessable(password: str, name: str) -> Invalid | None:
    from zxcvbn import zxcvbn

    # The association's words and the demo's count as known to anyone who guesses.
    known = [w for w in _NOT_LETTER.split(f"{name} {DEMO_PASSWORD}".casefold()) if len(w) > 2]
    estimate = zxcvbn(password[:100], user_inputs=known)  # zxcvbn slows down on very long input
    if estimate["score"] >= MIN_SCORE:
        return None
    warning = estimate["feedback"].get("warning") or ""
    why = next((sv for en, sv in _WARNINGS.items() if warning.startswith(en)), "för förutsägbart")
    return Invalid("är lätt att gissa ({why})", why=why)


def _folded(text: str) -> str:
    """Case, spaces, punctuation and accents (ö or o) do not make a password another one."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return _NOT_LETTER.sub("", bare)
