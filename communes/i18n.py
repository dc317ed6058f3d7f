"""One catalogue of UI strings in Vietnamese (the default) and English.

Keys are dotted by namespace and reuse the codes the rest of the code already uses: ``page.<url_path>``,
``period.<kind>``, ``compare.<code>``, ``scope.<code>`` and ``ind.<indicator>`` (the names of
``communes.kpi.KEYS`` and the data contract). Placeholders are ``str.format`` fields and must be the same
in both languages. Vietnamese text is NFC-normalised (tests check it), so string comparisons and joins with
data that was normalised on the way in behave.

>>> t("page.overview", "en")
'Overview'
>>> t("updated_to", date="30/09/2025")
'Cập nhật đến 30/09/2025'
"""
from __future__ import annotations

import tomllib
from pathlib import Path

LANGS = ("vi", "en")
STRINGS = Path(__file__).with_name("strings")  # one TOML file per topic: [key] with vi = "…" and en = "…"

def load_catalogue(folder: Path = STRINGS) -> dict[str, dict[str, str]]:
    """Every topic's strings (``<folder>/<topic>.toml``) in one catalogue. A key defined in two files, or
    an entry without exactly the languages of ``LANGS``, is refused with the file's name."""
    catalogue: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            part = tomllib.load(fh)
        clash = set(part) & set(catalogue)
        if clash:
            raise KeyError(f"communes/strings/{path.name} redefines {sorted(clash)}")
        odd = sorted(k for k, v in part.items() if not isinstance(v, dict) or set(v) != set(LANGS))
        if odd:
            raise KeyError(f"communes/strings/{path.name}: {odd} must have exactly the languages {LANGS}")
        catalogue.update(part)
    return catalogue


CATALOG: dict[str, dict[str, str]] = load_catalogue()


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The UI string ``key`` in ``lang``, with ``kwargs`` filled into its placeholders.

    A missing key raises ``KeyError`` naming the key, so a typo fails in tests, not on screen.

    >>> t("unit.count", "en", n=40)
    '40 units'
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    try:
        text = CATALOG[key][lang]
    except KeyError:
        raise KeyError(f"no UI string {key!r} in communes.i18n.CATALOG") from None
    return text.format(**kwargs)
