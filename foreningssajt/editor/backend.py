"""Where the web editor saves: editor.yml at the site's root, read and checked.

On the published site the editor writes to the association's repository on GitHub or
GitLab, and each volunteer signs in there; at home (`make editor`) it writes to the
working copy through decap-server on 127.0.0.1. The file is optional: without it a
development build still has a local editor, and a published site has no /admin/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from foreningssajt.siteconfig.errors import SiteError

FILE = "editor.yml"
DEFAULT_LOCAL_PORT = 8081  # decap-server's own default
HOSTS = ("github", "gitlab")
_REPO = re.compile(r"^[\w.-]+(/[\w.-]+)+$")
KEYS = ("host", "repo", "branch", "auth_site", "app_id", "local_port")


@dataclass(frozen=True)
class EditorBackend:
    host: str | None = None  # github or gitlab; None: only the local editor
    repo: str = ""
    branch: str = "main"
    auth_site: str = ""  # GitHub: the Netlify site that runs the sign-in (no server of one's own)
    app_id: str = ""  # GitLab: the application id for PKCE sign-in
    local_port: int = DEFAULT_LOCAL_PORT

    @property
    def published(self) -> bool:
        return self.host is not None

    def decap(self) -> dict[str, Any]:
        """Decap's `backend:` section."""
        if self.host == "gitlab":
            return {
                "name": "gitlab",
                "repo": self.repo,
                "branch": self.branch,
                "auth_type": "pkce",
                "app_id": self.app_id,
            }
        found = {"name": "github", "repo": self.repo or "forening/webbplats", "branch": self.branch}
        return {**found, "site_domain": self.auth_site} if self.auth_site else found

    def local(self) -> dict[str, Any]:
        """Decap's `local_backend:` section: decap-server on this machine only."""
        return {"url": f"http://127.0.0.1:{self.local_port}/api/v1", "allowed_hosts": ["127.0.0.1", "localhost"]}


def read_backend(root: Path) -> EditorBackend:
    """editor.yml of the site at `root`, checked; a SiteError names the key and what to write."""
    path = root / FILE
    if not path.is_file():
        return EditorBackend()
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise SiteError(FILE, "", "är inte giltig YAML; jämför med exemplet i docs/guide/publicera.md") from None
    if not isinstance(values, dict):
        raise SiteError(FILE, "", "ska bestå av rader som host: github; se docs/guide/publicera.md")
    return _checked({str(k): v for k, v in values.items() if v not in (None, "")})


def _checked(values: dict[str, Any]) -> EditorBackend:
    for key in values:
        if key not in KEYS:
            raise SiteError(FILE, key, "okänd nyckel; kända nycklar är {known}", known=", ".join(KEYS))
    host = values.get("host")
    if host is not None and host not in HOSTS:
        raise SiteError(FILE, "host", "{value} känns inte igen; skriv github eller gitlab", value=host)
    if host and not _REPO.match(str(values.get("repo", ""))):
        raise SiteError(
            FILE, "repo", "saknas eller har fel form; skriv förening/webbplats som i adressen till förrådet"
        )
    if host == "gitlab" and not values.get("app_id"):
        raise SiteError(FILE, "app_id", "saknas; skriv Application ID från GitLab (se docs/guide/publicera.md)")
    port = values.get("local_port", DEFAULT_LOCAL_PORT)
    if isinstance(port, bool) or not isinstance(port, int) or not 1024 <= port <= 65535:
        raise SiteError(
            FILE, "local_port", "{value} är inte ett portnummer; skriv ett tal från 1024 till 65535", value=port
        )
    return EditorBackend(
        host=host,
        repo=str(values.get("repo", "")),
        branch=str(values.get("branch", "main")),
        auth_site=str(values.get("auth_site", "")),
        app_id=str(values.get("app_id", "")),
        local_port=port,
    )
