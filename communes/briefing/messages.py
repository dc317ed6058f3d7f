"""Key messages of a briefing, written from the data: rules with templates, not free text.

Each rule reads the briefing's data (``communes.briefing.data.load``) and returns one sentence, or
None when it does not apply; the sentence is a catalogue template (``brief.msg.*`` in
``communes/strings/briefing.toml``) filled with numbers formatted by ``communes.fmt``. The rules, in
order:

1. ``on_time``: the on-time rate of the scope, its change against the comparison period in points,
   and the units below the target (city and groups: how many and which, lowest first, at most five
   named; one unit: met or not, and its rank among its peers). Units without data are not counted
   below the target (no data is not zero).
2. ``service``: the online, digitisation and satisfaction rates, each against its target.
3. ``overdue``: dossiers pending past their deadline and the overdue rate; where there are most.
4. ``attention``: how many units need attention (``communes.attention``) and the one furthest behind.
5. ``tourism``: visitors, international visitors and revenue, with relative changes.
6. ``farm``: rice of the calendar years the period touches (against the same period a year earlier)
   and fishery output (against the comparison period).
7. ``merger`` (one unit): the on-time and online rates since 1 July 2025 against the 12 months before,
   the former communes summed.

>>> from communes import periods
>>> compare_phrase(periods.parse("2025-Q3"), periods.parse("2025-Q2"), "prev", "vi")
'quý II'
>>> change_points(0.961, 0.964, "vi"), change_points(0.961, 0.953, "en")
('giảm 0,3 điểm %', 'up 0.8 pp')
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from communes import attention, fmt
from communes.briefing.data import BriefingData
from communes.i18n import t
from communes.missing import as_float, is_missing
from communes.periods import Period

MAX_NAMED = 5  # units named in a sentence before "và N đơn vị khác"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# --- phrases ---------------------------------------------------------------------------------------

def compare_phrase(period: Period, compare: Period, kind: str, lang: str) -> str:
    """The comparison period as running text after "so với": "quý II", "tháng 6", "cùng kỳ năm 2024".

    The year is left out when it is the period's own year, as people say it.

    >>> from communes import periods
    >>> p = periods.parse("2025-01")
    >>> compare_phrase(p, p.previous(), "prev", "vi"), compare_phrase(p, p.last_year(), "yoy", "en")
    ('tháng 12/2024', 'the same period of 2024')
    """
    c = compare
    same_year = c.start.year == period.start.year
    if kind == "yoy" and period.kind != "year":
        return t("brief.cmp_yoy", lang, year=c.start.year)
    if c.kind == "quarter":
        q = (c.start.month - 1) // 3 + 1
        if lang == "vi":
            return f"quý {_ROMAN[q]}" + ("" if same_year else f"/{c.start.year}")
        return f"Q{q}" + ("" if same_year else f" {c.start.year}")
    if c.kind == "month":
        if lang == "vi":
            return f"tháng {c.start.month}" + ("" if same_year else f"/{c.start.year}")
        return fmt.month(c.start.year, c.start.month, "en") if not same_year else c.start.strftime("%B")
    if c.kind == "year":
        return t("brief.cmp_year", lang, year=c.start.year)
    return t("brief.cmp_range", lang, start=fmt.date(c.start, lang), end=fmt.date(c.end, lang))


def _rounds_to_zero(x: float, scale: int, decimals: int = 1) -> bool:
    return Decimal(str(abs(x) * scale)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) == 0


def change_points(now: float | None, before: float | None, lang: str) -> str | None:
    """A change between two rates in words: "tăng 0,8 điểm %", "giảm 0,3 điểm %", "không đổi"."""
    if now is None or before is None:
        return None
    d = now - before
    if _rounds_to_zero(d, 100):
        return t("brief.chg_same", lang)
    size = fmt.points(abs(d), lang=lang).lstrip("+")
    return t("brief.chg_up" if d > 0 else "brief.chg_down", lang, x=size)


def change_relative(now: float | None, before: float | None, lang: str) -> str | None:
    """A relative change of an amount: "tăng 12,3 %", "giảm 4,0 %" (None when the base is 0 or missing).

    >>> change_relative(112.3, 100, "vi"), change_relative(96, 100, "en"), change_relative(5, 0, "vi")
    ('tăng 12,3 %', 'down 4.0%', None)
    """
    if now is None or before is None or before == 0:
        return None
    r = now / before - 1
    if _rounds_to_zero(r, 100):
        return t("brief.chg_same", lang)
    return t("brief.chg_up" if r > 0 else "brief.chg_down", lang, x=fmt.percent(abs(r), lang=lang))


def target_text(target, lang: str) -> str:
    """A target as written in the text: "95 %", "92,5 %"."""
    whole = round(target.target * 100, 6).is_integer()
    return fmt.percent(target.target, 0 if whole else 1, lang)


def status_text(target, value, lang: str) -> str | None:
    """"đạt chỉ tiêu 95 %", "gần đạt chỉ tiêu 95 %", "chưa đạt chỉ tiêu 95 %" (None without data)."""
    s = target.status(value)
    return None if s is None else t(f"brief.status_{s}", lang, target=target_text(target, lang))


def names_list(items: list[str], lang: str) -> str:
    """At most ``MAX_NAMED`` names, then "và N đơn vị khác"."""
    shown = ", ".join(items[:MAX_NAMED])
    rest = len(items) - MAX_NAMED
    return shown + (" " + t("brief.and_more", lang, n=rest) if rest > 0 else "")


def n_units(n: int, lang: str) -> str:
    return t("brief.n_units_one" if n == 1 else "brief.n_units", lang, n=fmt.number(n, lang=lang))


def _ind(key: str, lang: str) -> str:
    """An indicator's name inside a sentence (lower-case first letter)."""
    name = t(f"ind.{key}", lang)
    return name[:1].lower() + name[1:]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _vs(d: BriefingData, lang: str, compare: Period | None = None, kind: str | None = None) -> str:
    return compare_phrase(d.period, compare or d.compare, kind or d.compare_kind, lang)


def _scope_rows(d: BriefingData) -> pd.DataFrame:
    """The rows of the table that belong to the scope (the peers are wider for one unit)."""
    table, sc = d.table, d.scope
    return table if sc.units is None else table[table["unit_code"].isin(sc.units)]


def _change_part(change: str | None, vs: str, lang: str) -> str:
    return t("brief.change_part", lang, change=change, vs=vs) if change else ""


# --- rules -----------------------------------------------------------------------------------------

def rule_on_time(d: BriefingData, lang: str) -> str | None:
    sc, now, before = d.scope, d.now["dossiers"], d.before["dossiers"]
    period = d.period.label(lang)
    v = now["on_time_rate"]
    if v is None:
        return t("brief.msg.on_time_none", lang, period=period, where=sc.where(lang))
    change = change_points(v, before["on_time_rate"], lang)
    tg = d.targets.get("on_time_rate")
    tail = ""
    if tg is not None and sc.kind == "unit":
        tail = "; " + status_text(tg, v, lang)
        rank = unit_rank(d.table, sc.unit, "on_time_rate")
        if rank and rank[1] > 1:
            tail += t("brief.rank_in", lang, rank=rank[0], total=rank[1], peers=sc.peer_label(lang))
    elif tg is not None:
        rows = _scope_rows(d)
        below = rows[[pd.notna(x) and not tg.meets(float(x)) for x in rows["on_time_rate"]]]
        below = below.sort_values(["on_time_rate", "unit_code"])
        if len(below):
            names = [f"{n} ({fmt.percent(x, lang=lang)})" for n, x in zip(below["short_name"], below["on_time_rate"])]
            tail = t("brief.below_target", lang, units=n_units(len(below), lang), target=target_text(tg, lang),
                     names=names_list(names, lang))
        elif rows["on_time_rate"].notna().any():
            tail = t("brief.all_met", lang, target=target_text(tg, lang))
    return t("brief.msg.on_time", lang, period=period, where=sc.where(lang), value=fmt.percent(v, lang=lang),
             change=_change_part(change, _vs(d, lang), lang), tail=tail)


def rule_service(d: BriefingData, lang: str) -> str | None:
    now, targets = d.now["dossiers"], d.targets
    items = []
    for key in ("online_rate", "digitized_rate", "satisfaction_rate"):
        v = now[key]
        if v is None:
            continue
        item = f"{_ind(key, lang)} {fmt.percent(v, lang=lang)}"
        if key in targets:
            item += f" ({status_text(targets[key], v, lang)})"
        items.append(item)
    return _sentence("; ".join(items)) + "." if items else None


def rule_overdue(d: BriefingData, lang: str) -> str | None:
    now, sc = d.now["dossiers"], d.scope
    n = now["pending_overdue"]
    if n is None:
        return None
    rate = fmt.percent(now["overdue_rate"], lang=lang)
    if n == 0:
        return t("brief.msg.overdue_none", lang, rate=rate)
    top = ""
    if sc.kind != "unit":
        rows = _scope_rows(d)
        rows = rows[rows["pending_overdue"].fillna(0) > 0].sort_values(
            ["pending_overdue", "unit_code"], ascending=[False, True]).head(3)
        if len(rows) > 1:
            names = [f"{s} ({fmt.number(x, lang=lang)})" for s, x in zip(rows["short_name"], rows["pending_overdue"])]
            top = t("brief.most_in", lang, names=", ".join(names))
    return t("brief.msg.overdue", lang, n=fmt.number(n, lang=lang), rate=rate, top=top)


def rule_attention(d: BriefingData, lang: str) -> str | None:
    if d.scope.kind == "unit":
        return None
    flags = attention.needs_attention(_scope_rows(d), d.targets, lang)
    if not len(_scope_rows(d)) or _scope_rows(d)["received"].isna().all():
        return None
    if not flags:
        return t("brief.msg.attention_none", lang)
    worst = flags[0]
    short = dict(zip(d.table["unit_code"], d.table["short_name"])).get(worst.unit_code, worst.unit_name)
    return t("brief.msg.attention", lang, units=n_units(len(flags), lang), name=short, reason=worst.reason)


def rule_tourism(d: BriefingData, lang: str) -> str | None:
    now, before = d.now["tourism"], d.before["tourism"]
    if now["visitors"] is None:
        return t("brief.msg.tourism_none", lang)
    vs = _vs(d, lang, d.compare_monthly)  # as many whole months as the period (communes.comparisons)
    return t("brief.msg.tourism", lang, visitors=fmt.number(now["visitors"], lang=lang),
             change=_change_part(change_relative(now["visitors"], before["visitors"], lang), vs, lang),
             intl=fmt.number(now["visitors_international"], lang=lang),
             revenue=fmt.money(now["revenue_vnd"], lang),
             rchange=_change_part(change_relative(now["revenue_vnd"], before["revenue_vnd"], lang), vs, lang))


def years_text(p: Period, lang: str) -> str:
    """The calendar years a period touches, as rice figures count them: "năm 2025", "năm 2024–2025"."""
    y = str(p.start.year) if p.start.year == p.end.year else f"{p.start.year}–{p.end.year}"
    return t("brief.years", lang, years=y)


def rule_farm(d: BriefingData, lang: str) -> str | None:
    rice, fish = d.now["agriculture"], d.now["fishery"]
    rice_ly = (d.ly or d.before)["agriculture"]
    fish_before = d.before["fishery"]
    parts = []
    if rice["rice_production_tonnes"] is not None:
        ly_years = years_text(d.last_year, lang)
        change = change_relative(rice["rice_production_tonnes"], rice_ly["rice_production_tonnes"], lang)
        parts.append(t("brief.rice_part", lang, years=years_text(d.period, lang),
                       tonnes=fmt.tonnes(rice["rice_production_tonnes"], lang),
                       yield_=fmt.yield_(rice["rice_yield_quintal_per_ha"], lang),
                       change=_change_part(change, ly_years, lang)))
    if fish["aquaculture_tonnes"] is not None or fish["capture_tonnes"] is not None:
        total = sum(x for x in (fish["aquaculture_tonnes"], fish["capture_tonnes"]) if x is not None)
        before = [x for x in (fish_before["aquaculture_tonnes"], fish_before["capture_tonnes"]) if x is not None]
        change = change_relative(total, sum(before) if before else None, lang)
        parts.append(t("brief.fish_part", lang, aqua=fmt.tonnes(fish["aquaculture_tonnes"], lang),
                       capture=fmt.tonnes(fish["capture_tonnes"], lang),
                       change=_change_part(change, _vs(d, lang, d.compare_monthly), lang)))
    if not parts:
        return t("brief.msg.farm_none", lang)
    return t("brief.msg.farm", lang, parts="; ".join(parts))


def rule_merger(d: BriefingData, lang: str) -> str | None:
    m = d.merger
    if m is None or not len(m):
        return None
    phase = {r["phase"]: r for r in m.to_dict("records")}
    b, a = phase.get("before"), phase.get("after")
    if a is None or b is None or is_missing(a["on_time_rate"]) or is_missing(b["on_time_rate"]):
        return None  # nothing to compare
    def val(r, k):
        return None if r is None else as_float(r[k])

    former = d.ref.former
    n_former = int((former["unit_code"] == d.scope.unit).sum())
    return t("brief.msg.merger", lang,
             start=fmt.date(a["start"], lang), end=fmt.date(a["end"], lang),
             after=fmt.percent(val(a, "on_time_rate"), lang=lang),
             change=change_points(val(a, "on_time_rate"), val(b, "on_time_rate"), lang),
             before=fmt.percent(val(b, "on_time_rate"), lang=lang), n_former=fmt.number(n_former, lang=lang),
             online_after=fmt.percent(val(a, "online_rate"), lang=lang),
             online_before=fmt.percent(val(b, "online_rate"), lang=lang))


RULES = [rule_on_time, rule_service, rule_overdue, rule_attention, rule_tourism, rule_farm, rule_merger]


def key_messages(d: BriefingData, lang: str = "vi") -> list[str]:
    """The key messages of a briefing, in rule order (rules that do not apply are left out)."""
    return [m for m in (rule(d, lang) for rule in RULES) if m]


# --- ranks -----------------------------------------------------------------------------------------

def unit_rank(table: pd.DataFrame, unit: str | None, metric: str, higher: bool = True) -> tuple[int, int] | None:
    """(rank, ranked units) of ``unit`` on ``metric`` in ``table`` (ties share the best rank; units without
    data are not ranked). None when the unit has no data.

    >>> df = pd.DataFrame({"unit_code": ["a", "b", "c"], "m": [0.9, 0.95, None]})
    >>> unit_rank(df, "a", "m"), unit_rank(df, "c", "m")
    ((2, 2), None)
    """
    ranks = table[metric].rank(ascending=not higher, method="min")
    hit = ranks[table["unit_code"] == unit]
    if not len(hit) or pd.isna(hit.iloc[0]):
        return None
    return int(hit.iloc[0]), int(table[metric].notna().sum())
