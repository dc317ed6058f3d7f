"""Peer groups: type groups (phường / xã) always, geographic groups from a settings file.

>>> from communes import refdata
>>> g = load(refdata.load("Thành phố Huế"))
>>> sorted(g.ids())[:3]
['coastal', 'lowland', 'mountain']
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from communes import settings
from communes.names import name_key
from communes.refdata import RefData, resolve

TYPE_GROUPS = {"phuong": ("Phường", "Phường", "Wards"), "xa": ("Xã", "Xã", "Communes")}


@dataclass
class Group:
    id: str
    name_vi: str
    name_en: str
    reason: str
    units: list[str]  # unit codes


@dataclass
class Groups:
    groups: list[Group] = field(default_factory=list)
    unit_group: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [g.id for g in self.groups]

    def get(self, gid: str) -> Group | None:
        return next((g for g in self.groups if g.id == gid), None)

    def table(self) -> pd.DataFrame:
        rows = [(g.id, g.name_vi, g.name_en, g.reason, u) for g in self.groups for u in g.units]
        return pd.DataFrame(rows, columns=["group_id", "name_vi", "name_en", "reason", "unit_code"])


def load(ref: RefData, path: Path | None = None) -> Groups:
    """Geographic groups of ``ref``'s province from the TOML file, if it is for that province."""
    path = Path(path or settings.path("groups_file"))
    out = Groups()
    if not path.exists():
        return out
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    if name_key(doc.get("province", ref.province)) != name_key(ref.province):
        return out
    for g in doc.get("group", []):
        codes = []
        for name in g.get("units", []):
            m = resolve(ref, name, before_merger=False)
            if m.unit_code is None:
                out.problems.append(f"{path.name}: nhóm «{g['id']}»: «{name}»: {m.error}")
            elif m.unit_code in out.unit_group:
                out.problems.append(f"{path.name}: «{name}» thuộc hai nhóm")
            else:
                codes.append(m.unit_code)
                out.unit_group[m.unit_code] = g["id"]
        out.groups.append(Group(g["id"], g.get("name_vi", g["id"]), g.get("name_en", g["id"]), g.get("reason", ""), codes))
    return out


def scope_units(ref: RefData, scope: str) -> list[str] | None:
    """Unit codes of a scope: ``all`` (None), ``phuong``, ``xa`` or a group id."""
    if scope in (None, "", "all"):
        return None
    if scope in TYPE_GROUPS:
        kind = TYPE_GROUPS[scope][0]
        return ref.units.loc[ref.units.unit_type == kind, "unit_code"].tolist()
    g = load(ref).get(scope)
    if g is None:
        raise ValueError(f"Không có nhóm «{scope}»")
    return list(g.units)
