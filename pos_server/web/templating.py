"""Jinja2 pages in the reader's language, with the security headers every page carries.

One environment per language (gettext installed into it: ``{{ _("Sign in") }}`` and
``{% trans %}`` in templates), autoescaping on, undefined names an error. The templates of
``pos_server.web`` (the layout, the refusal page) come first, then the packages' own
(``pos_server.admin_web``: ``admin/...``).
"""

from __future__ import annotations

from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from pos_server.web.i18n import LANGUAGES, translations

STATIC_PREFIX = "/web/static"
# Everything from this server only; no inline script; images may be data: URLs (the QR code).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Templates:
    def __init__(self, *packages: str) -> None:
        loader = ChoiceLoader(
            [PackageLoader(p, "templates") for p in ("pos_server.web", *packages)]
        )
        self._envs = {lang: self._environment(loader, lang) for lang in LANGUAGES}

    @staticmethod
    def _environment(loader: ChoiceLoader, lang: str) -> Environment:
        env = Environment(loader=loader, autoescape=select_autoescape(default=True),
                          undefined=StrictUndefined, extensions=["jinja2.ext.i18n"])  # fmt: skip
        env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
        env.globals.update(lang=lang, languages=LANGUAGES, static=STATIC_PREFIX)
        return env

    def render(self, lang: str, name: str, context: dict[str, Any], status: int = 200,
               headers: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
        html = self._envs[lang].get_template(name).render(**context)
        return HTMLResponse(html, status, headers={**SECURITY_HEADERS, **(headers or {})})
