"""The members' password: from the environment only, never from a file in the repo."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from siteconfig.errors import SiteError

ENV_NAME = "MEMBERS_PASSWORD"
# Documented in the README: anyone may know it, so only development builds use it,
# and every locked page of such a build says so.
DEMO_PASSWORD = "demo-medlem-2026"
MIN_LENGTH = 14
HOW_TO_SET = f"set it for the build, e.g. {ENV_NAME}='a long secret phrase' make publish"


def members_password(settings: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """The password to encrypt with, and whether it is the demo password.

    A publishing build refuses a missing, demo or short password with one line
    saying how to set it; a development build falls back to the demo password.
    """
    environ = os.environ if environ is None else environ
    password = environ.get(ENV_NAME, "")
    if settings.get("PUBLISHING"):
        problem = _publishing_problem(password)
        if problem:
            raise SiteError(ENV_NAME, "", f"{problem}; {HOW_TO_SET}")
    if not password:
        return DEMO_PASSWORD, True
    return password, password == DEMO_PASSWORD


def _publishing_problem(password: str) -> str | None:
    if not password:
        return "is not set, and a published site needs the members' password"
    if password == DEMO_PASSWORD:
        return "is the demo password, which is public; choose the association's own"
    if len(password) < MIN_LENGTH:
        return f"is too short ({len(password)} characters); use at least {MIN_LENGTH}"
    return None
