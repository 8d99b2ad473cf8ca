"""CSS into style attributes: many email clients drop <style> blocks."""

from __future__ import annotations

import css_inline

# No remote stylesheets: the template has none, and an inliner must never fetch.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)


def inline_css(html: str) -> str:
    return _INLINER.inline(html)
