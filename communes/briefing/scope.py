"""What a briefing is about: the whole city, a group of units (type or peer group), or one unit.

``units`` are the units whose figures are summed (``kpi.compute``'s ``units``: None = all); ``peers``
are the units ranked and mapped beside them: the same units for the city and a group, and for one
unit its peer group (``communes.groups``), or its type group when it has none.

>>> from communes import refdata
>>> ref = refdata.load("Thành phố Huế")
>>> s = resolve(ref, unit="P. Phong Quảng")
>>> s.kind, s.units, s.where("vi"), s.peer_label("vi")
('unit', ['19873'], 'của Phường Phong Quảng', 'nhóm Ven biển')
>>> resolve(ref, "coastal").where("vi"), resolve(ref).where("vi")
('nhóm Ven biển', 'toàn thành phố')
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from communes import groups, refdata
from communes.i18n import t
from communes.names import name_key


class ScopeError(ValueError):
    """A unit or group name that does not resolve (message in Vietnamese)."""


@dataclass(frozen=True)
class Scope:
    kind: str  # "city", "type" (phường / xã), "group" (peer group) or "unit"
    code: str  # "all", "phuong", "xa", a group id or a unit code
    units: list[str] | None  # summed; None = all units
    peers: list[str] | None  # ranked and mapped; None = all units
    name_vi: str  # "Thành phố Huế", "Chỉ phường", "Ven biển", "Phường Phong Quảng"
    name_en: str
    peer_vi: str = ""  # the peer group's name (unit scope)
    peer_en: str = ""
    city_word_vi: str = "thành phố"  # "thành phố" or "tỉnh", from the province's name

    @property
    def unit(self) -> str | None:
        return self.code if self.kind == "unit" else None

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def where(self, lang: str) -> str:
        """The scope in running text: "toàn thành phố", "nhóm Ven biển", "khối phường", "của Phường X"."""
        if self.kind == "city":
            return t("brief.where_city", lang, city=self.city_word_vi if lang == "vi" else _city_en(self))
        if self.kind == "type":
            return t(f"brief.where_{self.code}", lang)
        return t(f"brief.where_{self.kind}", lang, name=self.name(lang))

    def peer_label(self, lang: str) -> str:
        """The group the units are ranked in ("nhóm Ven biển", "toàn thành phố")."""
        if self.kind == "unit":
            return t("brief.peers", lang, name=self.peer_vi if lang == "vi" else self.peer_en)
        if self.kind == "group":
            return t("brief.peers", lang, name=self.name(lang))
        return self.where(lang)

    def file_stem(self) -> str:
        """For file names: "thanh-pho", "nhom-coastal", "don-vi-19873"."""
        return {"city": "thanh-pho", "type": f"khoi-{self.code}", "group": f"nhom-{self.code}"}.get(
            self.kind, f"don-vi-{self.code}")


def _city_en(s: Scope) -> str:
    return "city" if s.city_word_vi == "thành phố" else "province"


def _group_by_name(g: groups.Groups, text: str) -> groups.Group | None:
    key = name_key(text)
    return next((x for x in g.groups if key in (name_key(x.id), name_key(x.name_vi), name_key(x.name_en))), None)


def resolve(ref: refdata.RefData, scope: str | None = "all", unit: str | None = None) -> Scope:
    """The scope of a briefing: ``unit`` (any spelling ``refdata.resolve`` accepts) wins over ``scope``
    (``all``, ``phuong``, ``xa``, a peer group's id or name)."""
    city = "tỉnh" if ref.province.startswith("Tỉnh") else "thành phố"
    g = groups.load(ref)
    if unit:
        m = refdata.resolve(ref, unit, before_merger=False)
        if m.unit_code is None:
            raise ScopeError(f"đơn vị «{unit}»: {m.error}")
        code = m.unit_code
        row = ref.units.set_index("unit_code").loc[code]
        gid = g.unit_group.get(code)
        if gid:
            grp = g.get(gid)
            peers, pvi, pen = list(grp.units), grp.name_vi, grp.name_en
        else:
            kind = "phuong" if row.unit_type == "Phường" else "xa"
            peers = groups.scope_units(ref, kind)
            pvi, pen = groups.TYPE_GROUPS[kind][1], groups.TYPE_GROUPS[kind][2]
        return Scope("unit", code, [code], peers, row.unit_name, row.unit_name, pvi, pen, city)
    scope = scope or "all"
    if scope == "all":
        return Scope("city", "all", None, None, ref.province, ref.province, city_word_vi=city)
    if scope in groups.TYPE_GROUPS:
        units = groups.scope_units(ref, scope)
        return Scope("type", scope, units, units, t(f"brief.type_{scope}", "vi"), t(f"brief.type_{scope}", "en"),
                     city_word_vi=city)
    grp = g.get(scope) or _group_by_name(g, scope)
    if grp is None:
        known = ", ".join(["all", *groups.TYPE_GROUPS, *(f"{x.id} ({x.name_vi})" for x in g.groups)])
        raise ScopeError(f"không có nhóm «{scope}»; các nhóm: {known}")
    return Scope("group", grp.id, list(grp.units), list(grp.units), grp.name_vi, grp.name_en, city_word_vi=city)


def restrict(sc: Scope, ref: refdata.RefData, allowed: list[str]) -> Scope:
    """``sc`` cut down to the units a user may see (``communes.auth``: unit viewers see only theirs).

    One unit they may see stays itself, ranked among the peers they may see; a wider scope becomes their
    units (one unit: that unit's briefing). Asking for another unit raises ``ScopeError``.

    >>> from communes import refdata
    >>> ref = refdata.load("Thành phố Huế")
    >>> s = restrict(resolve(ref), ref, ["19873"])
    >>> s.kind, s.units, s.peers
    ('unit', ['19873'], ['19873'])
    """
    mine = [c for c in ref.units["unit_code"] if c in set(allowed)]
    if sc.kind == "unit":
        if sc.unit not in mine:
            raise ScopeError(t("auth.refused_unit", "vi"))
        return replace(sc, peers=[c for c in (sc.peers or mine) if c in mine])
    units = [c for c in (sc.units or mine) if c in mine]
    if len(units) == 1:
        return restrict(resolve(ref, unit=units[0]), ref, allowed)
    return replace(sc, kind="group", code="mine", units=units, peers=units, name_vi=t("brief.mine", "vi"),
                   name_en=t("brief.mine", "en"))
