"""Reference data from ``vietnamadminunits``: current units, former communes, lineage.

Nothing here is specific to Huế: the province is a setting, and every list comes
from the package's own tables (``admin_units`` after 1 July 2025,
``admin_units_legacy`` before, and its old→new converter map).

>>> ref = load("Thành phố Huế")
>>> len(ref.units), len(ref.former)
(40, 133)
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import vietnamadminunits
from vietnamadminunits.database import query

from communes.names import ascii_key, name_key, split_type

_CONVERTER = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"


@dataclass
class RefData:
    province: str
    province_code: str
    units: pd.DataFrame  # unit_code, unit_name, short_name, unit_type, lat, lon, area_km2
    former: pd.DataFrame  # former_code, former_name, district, former_type, lat, lon, unit_code, split
    _index: dict = field(default_factory=dict, repr=False)

    def unit_name(self, code: str) -> str:
        return self.units.set_index("unit_code").at[code, "unit_name"]

    def unit_rows(self, units: list[str] | None) -> pd.DataFrame:
        """The rows (code, names, type) of ``units`` (None: every unit), in code order."""
        u = self.units[["unit_code", "unit_name", "short_name", "unit_type"]]
        return (u if units is None else u[u.unit_code.isin(units)]).reset_index(drop=True)


def _province_row(province: str) -> dict:
    rows = query("select distinct province, provinceKey, provinceCode from admin_units")
    wanted = name_key(province)
    wanted_ascii = ascii_key(province)
    for r in rows:
        if name_key(r["province"]) == wanted or r["provinceKey"] == wanted_ascii.replace(" ", ""):
            return r
    for r in rows:  # "Huế" for "Thành phố Huế"
        if name_key(split_province(r["province"])) == wanted:
            return r
    known = ", ".join(sorted(r["province"] for r in rows))
    raise ValueError(f"Không tìm thấy tỉnh/thành phố «{province}». Các giá trị hợp lệ: {known}")


def split_province(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@lru_cache(maxsize=8)
def load(province: str) -> RefData:
    """Units and former communes of ``province``, with the official lineage."""
    prov = _province_row(province)
    pkey = prov["provinceKey"]
    units = pd.DataFrame(query(
        "select wardCode, ward, wardShort, wardType, wardLat, wardLon, wardAreaKm2, wardKey "
        f"from admin_units where provinceKey = '{pkey}'"  # key comes from the package's own table
    ))
    units = units.rename(columns={
        "wardCode": "unit_code", "ward": "unit_name", "wardShort": "short_name", "wardType": "unit_type",
        "wardLat": "lat", "wardLon": "lon", "wardAreaKm2": "area_km2", "wardKey": "unit_key",
    }).sort_values("unit_code", ignore_index=True)

    conv = json.loads(_CONVERTER.read_text(encoding="utf-8"))
    old_provinces = conv["DICT_PROVINCE"][pkey]
    lineage: dict[str, tuple[str, bool]] = {}
    for new_key, old_keys in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].get(pkey, {}).items():
        for old in old_keys:
            lineage[old] = (new_key, False)
    for old, targets in conv["DICT_PROVINCE_WARD_DIVIDED"].get(pkey, {}).items():
        default = next(t["newWardKey"] for t in targets if t["isDefaultNewWard"])
        lineage[old] = (default, True)

    placeholders = ",".join(f"'{k}'" for k in old_provinces)
    legacy = pd.DataFrame(query(
        "select provinceKey, districtKey, wardKey, wardCode, ward, wardShort, wardType, district, wardLat, wardLon "
        f"from admin_units_legacy where provinceKey in ({placeholders})"
    ))
    legacy["lineage_key"] = legacy.provinceKey + "_" + legacy.districtKey + "_" + legacy.wardKey
    legacy = legacy[legacy.lineage_key.isin(lineage)].copy()
    key_to_code = dict(zip(units.unit_key, units.unit_code))
    legacy["unit_code"] = [key_to_code[lineage[k][0]] for k in legacy.lineage_key]
    legacy["split"] = [lineage[k][1] for k in legacy.lineage_key]
    former = legacy.rename(columns={
        "wardCode": "former_code", "ward": "former_name", "wardShort": "former_short",
        "wardType": "former_type", "wardLat": "lat", "wardLon": "lon",
    })[["former_code", "former_name", "former_short", "former_type", "district", "lat", "lon", "unit_code", "split"]]
    former = former.sort_values("former_code", ignore_index=True)
    return RefData(prov["province"], prov["provinceCode"], units.drop(columns="unit_key"), former)


# --- name resolution ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    unit_code: str | None = None
    former_code: str | None = None
    error: str | None = None  # Vietnamese reason when unresolved


def _index(ref: RefData, which: str) -> dict:
    if which not in ref._index:
        if which == "new":
            df, code, name, kind = ref.units, "unit_code", "short_name", "unit_type"
        else:
            df, code, name, kind = ref.former, "former_code", "former_short", "former_type"
        by_key: dict[str, list] = {}
        by_ascii: dict[str, list] = {}
        for c, n, k in zip(df[code], df[name], df[kind]):
            by_key.setdefault(name_key(n), []).append((c, k))
            by_ascii.setdefault(ascii_key(n), []).append((c, k, name_key(n)))
        ref._index[which] = {"key": by_key, "ascii": by_ascii, "codes": set(df[code])}
    return ref._index[which]


def _former_unit(ref: RefData) -> dict:
    """The current unit of each former commune, by its code (made once per reference data)."""
    if "former_unit" not in ref._index:
        ref._index["former_unit"] = dict(zip(ref.former.former_code, ref.former.unit_code))
    return ref._index["former_unit"]


def _lookup(ref: RefData, which: str, text: str) -> tuple[list, str | None]:
    idx = _index(ref, which)
    digits = text.strip().lstrip("0")
    if text.strip().isdigit():
        hits = [c for c in idx["codes"] if c.lstrip("0") == digits]
        return hits, None
    kind, short = split_type(text)
    for table, key in (("key", name_key(short)), ("ascii", ascii_key(short))):
        cands = idx[table].get(key, [])
        if kind:
            cands = [c for c in cands if c[1] == kind]
        if table == "ascii":  # a missing diacritic is a wildcard, a written one must agree
            cands = [c for c in cands if _marks_agree(name_key(short), c[2])]
        if cands:
            return [c[0] for c in cands], kind
    return [], kind


def _marks_agree(written: str, official: str) -> bool:
    """True when every syllable written with diacritics matches the official one exactly.

    >>> _marks_agree(name_key("Thuan Hoa"), name_key("Thuận Hòa")), _marks_agree(name_key("Thuận Hóa"), name_key("Thuận Hòa"))
    (True, False)
    """
    def plain(syllable: str) -> bool:  # no vowel mark and no tone digit appended by name_key
        return syllable.isdigit() or (syllable.isascii() and not syllable[-1:].isdigit())

    w, o = written.split(" "), official.split(" ")
    return len(w) == len(o) and all(a == b or (plain(a) and a == ascii_key(b).rstrip("12345")) for a, b in zip(w, o))


def resolve(ref: RefData, text: str, before_merger: bool) -> Match:
    """Resolve a unit name or code against the map in force on the record's date.

    Before 1 July 2025 a former commune's name rolls up into its current unit and is
    kept; a current unit's own name is also accepted there (re-keyed exports).
    """
    if not str(text).strip():
        return Match(error="thiếu tên đơn vị")
    if before_merger:
        hits, _ = _lookup(ref, "old", text)
        if len(hits) == 1:
            return Match(unit_code=_former_unit(ref)[hits[0]], former_code=hits[0])
        if len(hits) > 1:
            f = ref.former.set_index("former_code").loc[sorted(hits)]
            names = "; ".join(f"{n} ({d}, mã {c})" for c, n, d in zip(f.index, f.former_name, f.district))
            return Match(error=f"tên trùng nhau giữa nhiều xã/phường cũ: {names}; hãy dùng mã đơn vị")
    hits, _ = _lookup(ref, "new", text)
    if len(hits) == 1:
        return Match(unit_code=hits[0])
    if len(hits) > 1:
        return Match(error="tên trùng nhau giữa nhiều đơn vị; hãy dùng mã đơn vị")
    if not before_merger and _lookup(ref, "old", text)[0]:
        return Match(error="đây là tên xã/phường cũ, không còn từ ngày 01/07/2025")
    where = "trước" if before_merger else "từ"
    return Match(error=f"không có đơn vị hành chính nào mang tên này {where} ngày 01/07/2025 tại {ref.province}")
