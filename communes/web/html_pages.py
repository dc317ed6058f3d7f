"""The server's own small HTML pages (sign-in, refusals, the API's documentation): one frame, no script,
readable in dark mode."""
from __future__ import annotations

import html
from urllib.parse import urlencode

from communes.i18n import t

CSS = ("body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;"
       "line-height:1.5}input{display:block;width:100%;padding:.5rem;margin:.25rem 0 1rem;font-size:1rem;"
       "box-sizing:border-box}button{padding:.6rem 1.2rem;font-size:1rem;background:#1f4e79;color:#fff;border:0;"
       "border-radius:.3rem}.err{color:#a3191f}pre{background:#f2f5f8;padding:.6rem;overflow-x:auto}"
       "code{background:#f2f5f8}@media(prefers-color-scheme:dark){body{background:#11161c;color:#e6e9ed}"
       "pre,code{background:#1b232c}.err{color:#ff8a80}a{color:#8ab4f8}}")


def page(title: str, body: str, lang: str = "vi") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>")


def login_form(lang: str, next_url: str, error: str = "") -> str:
    err = f'<p class="err" role="alert">{html.escape(error)}</p>' if error else ""
    other = "en" if lang == "vi" else "vi"
    return page(t("web.login_title", lang), (
        f"<h1>{t('auth.title', lang)}</h1><p>{t('auth.intro', lang)}</p>{err}"
        f'<form method="post" action="/auth/login?{html.escape(urlencode({"lang": lang}))}">'
        f'<input type="hidden" name="next" value="{html.escape(next_url)}">'
        f'<label>{t("auth.user", lang)}<input name="user" autocomplete="username" required></label>'
        f'<label>{t("auth.password", lang)}<input name="password" type="password" autocomplete="current-password"'
        f' required></label><button type="submit">{t("auth.submit", lang)}</button></form>'
        f'<p><a href="/auth/login?{html.escape(urlencode({"next": next_url, "lang": other}))}">'
        f'{t(f"lang.{other}", other)}</a></p>'), lang)
