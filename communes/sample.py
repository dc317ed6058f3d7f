"""Deterministic SAMPLE exports: plausible data that reproduces the press figures.

``write_sample(out_dir, seed, scale)`` writes the ten files of a sample export
folder (dossiers, tourism, agriculture, fishery, staffing, units, events, staffing_fields, visits
and the ``sample.json`` manifest, whose ``notes`` say where a file's content comes from). Every unit
and former commune comes from the reference data (``communes.refdata``); the peer groups (``config/groups.toml``) decide each
unit's character (urban, coastal, lowland, mountain). Records dated before
1 July 2025 carry the former commune's name, as real exports from then would.

Everything is invented except the few figures published in the press
(``../shared/seed/figures.md``), which the Huế sample reproduces exactly:

- Phong Quảng, Q3/2025: > 2,300 new dossiers, on-time rate 93–95 %, digitised ≥ 99 %,
  65,000–70,000 visitors, 20–23 billion VND tourism revenue, 335 t of fish;
- Phong Quảng, 2025: rice yield 43.7 tạ/ha over both seasons;
- Đan Điền, 1 Jul – 31 Oct 2025: > 3,200 dossiers resolved, on-time rate 98.8 %;
- Huế city, 1 Jul – 31 Oct 2025: on-time rate > 95 %, digitised ≥ 98 %.

The output is byte-identical for the same seed and scale (fixed sort orders, gzip
with mtime 0, one random stream per dataset and unit). ``scale`` multiplies the
dossier volume only; dossiers are generated and written one unit at a time, with
numpy, so a tenfold volume needs no more than one unit's rows in memory.

>>> import tempfile, pathlib
>>> paths = write_sample(pathlib.Path(tempfile.mkdtemp()), scale=0.02)
>>> [p.name for p in paths][-1]
'sample.json'
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.dtypes import StringDType

from communes import refdata, settings
from communes.names import name_key

S = StringDType()

START = np.datetime64("2024-01-01", "D")
MERGER = np.datetime64("2025-07-01", "D")
AS_OF = np.datetime64("2026-10-31", "D")  # the data's as-of date (a Saturday: last receipts on Friday 30)
_TABLE_END = np.datetime64("2028-12-31", "D")  # date strings are looked up in a table up to here

# Public holidays 2024–2026 (Tết, Hùng Kings, 30/4–1/5, National Day, New Year), with the
# official bridging days; dossiers are received and due on working days only.
HOLIDAYS = np.array([
    "2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14", "2024-04-18",
    "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03",
    "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07",
    "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
    "2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02",
], dtype="datetime64[D]")
TET = np.array(["2024-02-10", "2025-01-29", "2026-02-17"], dtype="datetime64[D]")

# Things that explain the curves: (first day, last day, label, unit short name or None, effect).
# effect: "flood" (fewer receipts, more late dossiers), "outage" (interconnection fault: more late
# dossiers), "festival" (tourism), None (a marker only). The events file lists each on its first day.
EVENTS = [
    ("2024-02-10", "2024-02-10", "Tết Giáp Thìn", None, None),
    ("2024-06-06", "2024-06-11", "Festival Huế 2024", None, "festival"),
    ("2024-10-28", "2024-11-01", "Bão Trà Mi, mưa lũ cuối tháng 10", None, "flood"),
    ("2025-01-29", "2025-01-29", "Tết Ất Tỵ", None, None),
    ("2025-08-11", "2025-08-15", "Sự cố liên thông dữ liệu hộ tịch – cư trú toàn thành phố", None, "outage"),
    ("2025-09-22", "2025-09-24", "Sự cố kết nối Cổng dịch vụ công (liên thông)", None, "outage"),
    ("2025-10-27", "2025-10-31", "Lũ lịch sử", None, "flood"),
    ("2025-11-17", "2025-11-19", "Lũ lớn giữa tháng 11", None, "flood"),
    ("2025-11-28", "2025-11-28", "Lãnh đạo thành phố kiểm tra Trung tâm Phục vụ hành chính công", "Phong Dinh", None),
    ("2026-02-17", "2026-02-17", "Tết Bính Ngọ", None, None),
    ("2026-06-05", "2026-06-10", "Festival Huế 2026", None, "festival"),
    ("2026-10-19", "2026-10-21", "Mưa lớn, ngập cục bộ", None, "flood"),
]
_FLOOD_VOLUME = {"Lũ lịch sử": 0.25}  # receipts on flood days, as a share of normal (default 0.55)

# Procedure fields: (field, procedure, working days to the due date, weight within the field).
PROCEDURES = [
    ("Hộ tịch", "Đăng ký khai sinh", 1, 30), ("Hộ tịch", "Đăng ký kết hôn", 3, 12),
    ("Hộ tịch", "Đăng ký khai tử", 1, 8), ("Hộ tịch", "Cấp bản sao trích lục hộ tịch", 1, 22),
    ("Hộ tịch", "Cấp giấy xác nhận tình trạng hôn nhân", 3, 18), ("Hộ tịch", "Đăng ký nhận cha mẹ con", 3, 2),
    ("Hộ tịch", "Đăng ký thay đổi cải chính hộ tịch", 3, 8),
    ("Chứng thực", "Chứng thực bản sao từ bản chính", 0, 60), ("Chứng thực", "Chứng thực chữ ký", 0, 25),
    ("Chứng thực", "Chứng thực hợp đồng giao dịch", 2, 15),
    ("Đất đai", "Đăng ký biến động đất đai", 10, 45), ("Đất đai", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu", 20, 20),
    ("Đất đai", "Chuyển mục đích sử dụng đất", 15, 15), ("Đất đai", "Hòa giải tranh chấp đất đai", 30, 8),
    ("Đất đai", "Đính chính giấy chứng nhận", 10, 12),
    ("Hộ kinh doanh", "Đăng ký thành lập hộ kinh doanh", 3, 50), ("Hộ kinh doanh", "Đăng ký thay đổi nội dung hộ kinh doanh", 3, 30),
    ("Hộ kinh doanh", "Tạm ngừng kinh doanh hộ kinh doanh", 3, 20),
    ("Xây dựng", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15, 70), ("Xây dựng", "Cấp giấy phép sửa chữa cải tạo công trình", 15, 30),
    ("Bảo trợ xã hội", "Trợ cấp xã hội hằng tháng", 7, 45), ("Bảo trợ xã hội", "Hỗ trợ chi phí mai táng", 5, 25),
    ("Bảo trợ xã hội", "Xác định mức độ khuyết tật", 20, 30),
    ("Người có công", "Trợ cấp mai táng phí người có công", 5, 40), ("Người có công", "Xác nhận thông tin người có công", 5, 60),
    ("Tư pháp", "Công nhận hòa giải viên", 3, 40), ("Tư pháp", "Thủ tục hòa giải cơ sở", 5, 60),
]
FIELD_NAMES = list(dict.fromkeys(p[0] for p in PROCEDURES))
# Field shares by group, before and after the merger (land and building procedures moved down
# from the abolished districts on 1 July 2025).
FIELD_WEIGHTS = {
    "urban":    [34, 30, 10, 10, 6, 5, 3, 2],
    "coastal":  [36, 24, 16, 6, 4, 7, 4, 3],
    "lowland":  [36, 22, 18, 5, 4, 7, 5, 3],
    "mountain": [40, 18, 16, 3, 2, 12, 5, 4],
}
FIELD_POST_MERGER = [1.0, 1.0, 1.4, 1.0, 1.5, 1.0, 1.0, 1.0]

RATINGS = ["", "Hài lòng", "Bình thường", "Không hài lòng"]
DOSSIER_HEADER = "dossier_id,unit,field,procedure,channel,received_at,due_at,completed_at,digitized,rating\n"


# --- unit profiles ---------------------------------------------------------------------------------

@dataclass
class Profile:
    code: str
    name: str
    short: str
    key: str  # name_key of the short name
    group: str
    formers: list[str]  # former communes' full names (pre-merger labels)
    former_codes: list[str]
    former_types: list[str]
    weights: np.ndarray  # share of each former commune in the unit's activity before the merger
    volume: float  # dossiers a month after the merger
    online: float  # multiplier of the online share
    late: float  # base share of late dossiers after the merger
    attention: float = 0.0  # extra late share from Q4/2025 (units that need attention)
    visitors: float = 0.0  # visitors in 2025
    intl: float = 0.0  # international share
    overnight: float = 0.0
    spend: float = 0.0  # revenue per visitor, million VND
    rice: float = 0.0  # rice area a year, ha
    aqua: float = 0.0  # aquaculture tonnes a year
    capture: float = 0.0  # capture tonnes a year
    population: int = 0
    extra: dict = field(default_factory=dict)


# Named units of the Huế story (matched by name key; ignored for other provinces).
_HUE_VOLUME = {"Phú Xuân": 1700, "Thuận Hóa": 1500, "Kim Long": 1000, "Thủy Xuân": 950,
               "Phong Quảng": 850, "Đan Điền": 900, "Thuận An": 700, "Chân Mây - Lăng Cô": 560}
_HUE_VISITORS = {"Phú Xuân": 1_750_000, "Thuận Hóa": 1_150_000, "Kim Long": 520_000, "Thủy Xuân": 480_000,
                 "Thuận An": 520_000, "Chân Mây - Lăng Cô": 560_000, "Phong Quảng": 190_000}
_GROUP_VOLUME = {"urban": (500, 700), "coastal": (350, 520), "lowland": (250, 450), "mountain": (60, 140)}
_GROUP_POP = {"urban": (35_000, 60_000), "coastal": (24_000, 40_000), "lowland": (22_000, 42_000), "mountain": (7_000, 17_000)}
_BIG_POP = {"Phú Xuân": 95_000, "Thuận Hóa": 88_000, "Kim Long": 62_000, "Thủy Xuân": 60_000}
POPULATION_TOTAL = 1_210_000  # Huế ≈ 1.2 million; other provinces are scaled by unit count
RICE_TOTAL = 53_000  # ha a year, both seasons, Huế


def _is_hue(ref) -> bool:
    return name_key(ref.province) == name_key("Thành phố Huế")


def _peer_groups(ref) -> dict[str, str]:
    """unit_code → group id from the groups file, when it is for this province."""
    path = settings.path("groups_file")
    if not path.exists():
        return {}
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    if name_key(doc.get("province", "")) != name_key(ref.province):
        return {}
    by_key = {name_key(s): c for s, c in zip(ref.units.short_name, ref.units.unit_code)}
    out = {}
    for g in doc.get("group", []):
        for n in g.get("units", []):
            code = by_key.get(name_key(n))
            if code and g.get("id") in FIELD_WEIGHTS:
                out[code] = g["id"]
    return out


def _generic_group(unit_type: str, area: float) -> str:
    if unit_type == "Phường":
        return "urban"
    if unit_type == "Đặc khu":
        return "coastal"
    return "mountain" if area and area > 300 else "lowland"


def profiles(ref, seed: int = 0) -> list[Profile]:
    """One profile per current unit, in unit-code order."""
    rng = np.random.default_rng([seed, 1])
    groups = _peer_groups(ref)
    hue = _is_hue(ref)
    out = []
    for u in ref.units.sort_values("unit_code").itertuples():
        key = name_key(u.short_name)
        g = groups.get(u.unit_code) or _generic_group(u.unit_type, u.area_km2)
        f = ref.former[ref.former.unit_code == u.unit_code].sort_values("former_code")
        formers, fcodes, ftypes = list(f.former_name), list(f.former_code), list(f.former_type)
        if not formers:  # no lineage: the current name is used before the merger too
            formers, fcodes, ftypes = [u.unit_name], [u.unit_code], [u.unit_type]
        w = rng.gamma(3.0, size=len(formers)) * np.array([1.6 if t in ("Phường", "Thị trấn") else 1.0 for t in ftypes])
        w = w / w.sum()
        lo, hi = _GROUP_VOLUME[g]
        named = {name_key(k): v for k, v in _HUE_VOLUME.items()} if hue else {}
        volume = named.get(key, rng.uniform(lo, hi))
        p = Profile(u.unit_code, u.unit_name, u.short_name, key, g, formers, fcodes, ftypes, w, volume,
                    online={"urban": 1.12, "coastal": 1.0, "lowland": 0.95, "mountain": 0.72}[g] * rng.uniform(0.95, 1.05),
                    late=rng.uniform(0.018, 0.032) + (0.01 if g == "mountain" else 0.0))
        # Population
        plo, phi = _GROUP_POP[g]
        p.population = ({name_key(k): v for k, v in _BIG_POP.items()}.get(key) if hue else None) or rng.uniform(plo, phi)
        # Tourism
        vis = {name_key(k): v for k, v in _HUE_VISITORS.items()} if hue else {}
        if key in vis:
            p.visitors = vis[key]
        elif g == "urban":
            p.visitors = rng.uniform(40_000, 160_000)
        elif g == "coastal":
            p.visitors = rng.uniform(50_000, 110_000)
        elif rng.random() < (0.55 if g == "lowland" else 0.7):
            p.visitors = rng.uniform(12_000, 80_000) if g == "lowland" else rng.uniform(8_000, 35_000)
        p.intl = {"urban": 0.32, "coastal": 0.12, "lowland": 0.05, "mountain": 0.07}[g] * rng.uniform(0.8, 1.2)
        p.overnight = {"urban": 0.55, "coastal": 0.42, "lowland": 0.15, "mountain": 0.25}[g] * rng.uniform(0.85, 1.15)
        p.spend = {"urban": 1.05, "coastal": 0.34, "lowland": 0.22, "mountain": 0.3}[g] * rng.uniform(0.85, 1.15)
        # Agriculture: urban core has no rice, its outer wards a little; mountain little rice.
        if g == "urban":
            p.rice = rng.uniform(250, 700) if u.area_km2 and u.area_km2 > 20 and key not in {name_key(k) for k in _BIG_POP} else 0.0
        else:
            p.rice = {"coastal": rng.uniform(900, 1800), "lowland": rng.uniform(1700, 3300),
                      "mountain": rng.uniform(150, 420)}[g]
        # Fishery: none in the mountains; lagoon aquaculture in part of the lowland.
        if g == "coastal":
            p.aqua, p.capture = rng.uniform(500, 1400), rng.uniform(600, 2600)
        elif g == "lowland" and rng.random() < 0.6:
            p.aqua, p.capture = rng.uniform(250, 900), rng.uniform(60, 350)
        elif g == "urban" and p.rice and rng.random() < 0.4:
            p.aqua = rng.uniform(40, 150)
        out.append(p)

    # Rescale to the province's totals.
    scale_pop = POPULATION_TOTAL * len(out) / 40 / sum(p.population for p in out)
    for p in out:
        p.population = int(round(p.population * scale_pop / 10) * 10)
    if hue:
        rice = sum(p.rice for p in out)
        for p in out:
            p.rice *= RICE_TOTAL / rice
    # Units that need attention: on-time rate clearly below 95 % from Q4/2025 on.
    pool = [i for i, p in enumerate(out) if p.key not in {name_key(k) for k in _HUE_VOLUME}]
    for i in rng.choice(pool, size=min(5, len(pool)), replace=False):
        out[i].attention = rng.uniform(0.045, 0.075)
    if hue:  # the article's units
        for p in out:
            if p.key == name_key("Đan Điền"):
                p.late = 0.004  # "would be 100 % without the city-wide interconnection faults"
    return out


# --- calendar helpers ------------------------------------------------------------------------------

def _busdays(start, end) -> np.ndarray:
    days = np.arange(start, end + 1, dtype="datetime64[D]")
    return days[np.is_busday(days, holidays=HOLIDAYS)]


def _event_days(effect: str) -> list[tuple[np.datetime64, np.datetime64, str]]:
    return [(np.datetime64(a), np.datetime64(b), lab) for a, b, lab, unit, eff in EVENTS if eff == effect and unit is None]


def _in_windows(days: np.ndarray, windows) -> np.ndarray:
    hit = np.zeros(days.shape, dtype=bool)
    for a, b, _ in windows:
        hit |= (days >= a) & (days <= b)
    return hit


def _months(start: str = "2024-01", end: str = "2026-10") -> np.ndarray:
    return np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + 1)


def _ym(m: np.datetime64) -> tuple[int, int]:
    y = int(str(m)[:4])
    return y, int(str(m)[5:7])


_DATE_TABLE_START = np.datetime64("2023-12-01", "D")
_DATES = np.arange(_DATE_TABLE_START, _TABLE_END + 1, dtype="datetime64[D]")
_DATE_STR = np.array([str(d) for d in _DATES], dtype=S)
_YYMMDD = np.array([str(d)[2:].replace("-", "") for d in _DATES], dtype=S)
_HHMM = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60)], dtype=S)


def _didx(days: np.ndarray) -> np.ndarray:
    return (days - _DATE_TABLE_START).astype(np.int64)


# --- dossiers --------------------------------------------------------------------------------------

def _linear(days: np.ndarray, a: str, b: str, va: float, vb: float) -> np.ndarray:
    t = (days - np.datetime64(a)).astype(float) / (np.datetime64(b) - np.datetime64(a)).astype(float)
    return va + (vb - va) * np.clip(t, 0, 1)


def _volume_factor(days: np.ndarray) -> np.ndarray:
    month = (days.astype("datetime64[M]").astype(int) % 12)
    f = np.array([1.05, 0.88, 1.0, 1.0, 1.0, 1.0, 1.02, 1.0, 1.0, 0.96, 0.95, 1.08])[month]
    trend = np.select([days < np.datetime64("2025-01-01"), days < MERGER, days < np.datetime64("2025-08-01"),
                       days < np.datetime64("2026-01-01")], [0.86, 0.92, 1.12, 1.0], 1.04)
    f = f * trend
    for t in TET:  # the rush before Tết and the lull after it
        before = (days < t) & (days >= t - 16)
        after = (days > t) & (days <= t + 14)
        f = np.where(before, f * 1.25, np.where(after, f * 0.85, f))
    for a, b, lab in _event_days("flood"):
        f = np.where((days >= a) & (days <= b), f * _FLOOD_VOLUME.get(lab, 0.55), f)
    dow = ((days.astype(np.int64) + 3) % 7)  # 0 = Monday
    return f * np.array([1.15, 1.0, 1.0, 0.97, 0.9, 1.0, 1.0])[dow]


def _late_share(p: Profile, recv: np.ndarray, due: np.ndarray) -> np.ndarray:
    base = np.select([recv < np.datetime64("2025-01-01"), recv < MERGER, recv < np.datetime64("2025-08-01")],
                     [p.late + 0.018, p.late + 0.012, p.late + 0.012], p.late)
    base = base + np.where(recv >= np.datetime64("2025-10-01"), p.attention, 0.0)
    for t in TET:
        base = base + np.where((due > t) & (due <= t + 12), 0.05, 0.0)
    for a, b, lab in _event_days("flood"):
        base = base + np.where((due >= a) & (due <= b + 3), 0.16 if lab == "Lũ lịch sử" else 0.10, 0.0)
    base = base + np.where(_in_windows(due, _event_days("outage")), 0.07, 0.0)
    return np.clip(base, 0, 0.9)


def _unit_dossiers(p: Profile, seed: int, scale: float) -> dict[str, np.ndarray]:
    """All dossiers of one unit (and of its former communes before the merger), as arrays."""
    rng = np.random.default_rng([seed, 2, int(p.code)])
    days = _busdays(START, AS_OF)
    lam = p.volume / 21.7 * _volume_factor(days) * scale
    counts = rng.poisson(lam)
    recv = np.repeat(days, counts)
    n = recv.size
    # received time: working hours 07:30–11:30, 13:30–17:00
    morning = rng.random(n) < 0.62
    rmin = np.where(morning, 450 + rng.integers(0, 240, n), 810 + rng.integers(0, 210, n))
    # field and procedure
    fw = np.array(FIELD_WEIGHTS[p.group], float)
    post = recv >= MERGER
    f_pre, f_post = fw / fw.sum(), fw * FIELD_POST_MERGER / (fw * FIELD_POST_MERGER).sum()
    u = rng.random(n)
    fidx = np.where(post, np.searchsorted(np.cumsum(f_post), u, side="right"),
                    np.searchsorted(np.cumsum(f_pre), u, side="right"))
    fidx = np.minimum(fidx, len(FIELD_NAMES) - 1)
    proc_field = np.array([FIELD_NAMES.index(x[0]) for x in PROCEDURES])
    proc_days = np.array([x[2] for x in PROCEDURES])
    pidx = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    for fi in range(len(FIELD_NAMES)):
        members = np.flatnonzero(proc_field == fi)
        w = np.array([PROCEDURES[j][3] for j in members], float)
        sel = fidx == fi
        pidx[sel] = members[np.minimum(np.searchsorted(np.cumsum(w / w.sum()), u[sel], side="right"), len(members) - 1)]
    ndays = proc_days[pidx]
    due = np.busday_offset(recv, ndays, roll="forward", holidays=HOLIDAYS)
    # same-day certification at the counter: due at 16:30 that day
    due_time = (ndays == 0) & (rmin < 660) & (rng.random(n) < 0.35)
    # channel: online share rising, jump at the merger
    p_on = np.where(post, _linear(recv, "2025-07-01", "2026-10-31", 0.55, 0.62),
                    _linear(recv, "2024-01-01", "2025-06-30", 0.30, 0.45)) * p.online
    p_on = np.where(PROC_COUNTER[pidx], p_on * 0.55, p_on * 1.12)
    p_on = np.clip(p_on, 0, 0.9)
    u = rng.random(n)
    channel = np.where(u < p_on, 2, np.where(u < p_on + 0.015, 3, 1))
    channel = np.where(due_time, 1, channel)
    # digitised: rising to ≈ 99 % after the merger
    p_dig = np.where(post, np.where(recv < np.datetime64("2025-08-01"), 0.988, 0.995),
                     _linear(recv, "2024-01-01", "2025-06-30", 0.55, 0.9) * (0.92 if p.group == "mountain" else 1.0))
    digit = rng.random(n) < p_dig
    # outcome: working days to completion
    late = rng.random(n) < _late_share(p, recv, due)
    early_k = np.floor(rng.random(n) ** 1.6 * (ndays + 1)).astype(np.int64)
    late_k = ndays + rng.geometric(0.45, n)
    stuck = (rng.random(n) < 0.002) & (ndays >= 5)
    late_k = np.where(stuck, ndays + rng.integers(25, 380, n), late_k)
    late = late | stuck
    k = np.where(late, late_k, np.minimum(early_k, ndays))
    comp = np.busday_offset(recv, k, roll="forward", holidays=HOLIDAYS)
    cmin = _completion_minutes(rng, comp == recv, rmin, due_time)
    # label: former commune before the merger, current name from it
    lab = np.where(post, len(p.formers), np.searchsorted(np.cumsum(p.weights), rng.random(n), side="right"))
    lab = np.minimum(lab, len(p.formers))
    rating_u, rating_v = rng.random(n), rng.random(n)
    return {"recv": recv, "rmin": rmin, "fidx": fidx, "pidx": pidx, "due": due, "due_time": due_time,
            "channel": channel, "digit": digit, "comp": comp, "cmin": cmin, "lab": lab, "ndays": ndays,
            "rating_u": rating_u, "rating_v": rating_v, "rng_state": rng}


PROC_COUNTER = np.array([x[0] == "Chứng thực" for x in PROCEDURES])  # needs the originals at the counter


def _completion_minutes(rng, same_day: np.ndarray, rmin: np.ndarray, due_time: np.ndarray) -> np.ndarray:
    n = rmin.size
    other = np.where(rng.random(n) < 0.55, 450 + rng.integers(0, 240, n), 810 + rng.integers(0, 225, n))
    same = np.minimum(rmin + 10 + rng.integers(0, 170, n), np.where(due_time, 990, 1050))
    return np.where(same_day, same, other)


LATE_SAME_DAY = 0.01  # share of same-day counter dossiers handed back after their due time, that day


def _late_after_hours(p: Profile, d: dict, seed: int) -> None:
    """Some same-day counter dossiers (due 16:30) are completed that day after the due time, between
    16:40 and 17:20: late, although completed on the due day (the contract's own example, due 16:00 and
    done 17:10). A random stream of its own, so every other dossier stays as it was."""
    rng = np.random.default_rng([seed, 12, int(p.code)])
    pick = d["due_time"] & (d["comp"] == d["due"]) & (d["comp"] <= AS_OF) & (rng.random(d["recv"].size) < LATE_SAME_DAY)
    d["cmin"][pick] = 1000 + rng.integers(0, 41, int(pick.sum()))


def _on_time(d) -> np.ndarray:
    return (d["comp"] < d["due"]) | ((d["comp"] == d["due"]) & (~d["due_time"] | (d["cmin"] <= 990)))


def _calibrate(d: dict, start: str, end: str, rate: float, digitized: float = 0.0) -> None:
    """Make the on-time rate of dossiers resolved in [start, end] equal ``rate`` (to one late dossier),
    and the digitised share of the new dossiers at least ``digitized``.

    Late dossiers are kept preferably where an event explains them (floods, interconnection
    faults); the rest are moved to on time, or on-time ones moved one to three days late.
    """
    s, e = np.datetime64(start), np.datetime64(end)
    rng = d["rng_state"]
    new = (d["recv"] >= s) & (d["recv"] <= e)
    missing = int(np.ceil(digitized * new.sum())) - int((new & d["digit"]).sum())
    if missing > 0:
        cand = np.flatnonzero(new & ~d["digit"])
        d["digit"][rng.choice(cand, size=min(missing, cand.size), replace=False)] = True
    resolved = (d["comp"] >= s) & (d["comp"] <= e)
    ok = _on_time(d)
    n_res = int(resolved.sum())
    if not n_res:
        return
    want_late = round(n_res * (1 - rate))
    late_idx = np.flatnonzero(resolved & ~ok)
    explained = _in_windows(d["due"], _event_days("outage") + _event_days("flood"))
    if late_idx.size > want_late:
        cand = late_idx[(d["due"][late_idx] >= s) & ~d["due_time"][late_idx]]
        order = np.lexsort((rng.random(cand.size), explained[cand]))  # unexplained first
        fix = cand[order[: late_idx.size - want_late]]
        new = np.minimum(d["due"][fix], e)
        d["comp"][fix] = np.maximum(new, d["recv"][fix])
        same = d["comp"][fix] == d["recv"][fix]
        d["cmin"][fix] = np.where(same, np.minimum(d["rmin"][fix] + 30, 1050), 600 + rng.integers(0, 300, fix.size))
    elif late_idx.size < want_late:
        ok_idx = np.flatnonzero(resolved & ok & ~d["due_time"])
        one_late = np.busday_offset(d["due"][ok_idx], 1, roll="forward", holidays=HOLIDAYS)
        cand = ok_idx[one_late <= e]
        order = np.lexsort((rng.random(cand.size), ~explained[cand]))  # explained first
        fix = cand[order[: want_late - late_idx.size]]
        extra = rng.integers(1, 4, fix.size)
        new = np.busday_offset(d["due"][fix], extra, roll="forward", holidays=HOLIDAYS)
        fallback = np.busday_offset(d["due"][fix], 1, roll="forward", holidays=HOLIDAYS)
        d["comp"][fix] = np.where(new <= e, new, fallback)
        d["cmin"][fix] = 450 + rng.integers(0, 570, fix.size)


def _ratings(d: dict) -> np.ndarray:
    """Rating index into RATINGS: on about 30 % of resolved dossiers, mostly satisfied."""
    ok = _on_time(d)
    rated = d["rating_u"] < 0.30
    v = d["rating_v"]
    r = np.where(ok, np.where(v < 0.88, 1, np.where(v < 0.97, 2, 3)), np.where(v < 0.5, 1, np.where(v < 0.75, 2, 3)))
    return np.where(rated, r, 0)


# Calibrations of the Huế story: (unit short name, start, end, on-time rate).
_HUE_CALIBRATION = [("Phong Quảng", "2025-07-01", "2025-09-30", 0.94, 0.995),
                    ("Đan Điền", "2025-07-01", "2025-10-31", 0.988, 0.0)]


BLOCK = 65_536  # rows formatted at a time (bounds the memory for text)


def _dossier_rows(p: Profile, d: dict, province_code: str):
    """CSV text of one unit's dossiers, sorted by label, received time and id, in blocks of bytes."""
    n = d["recv"].size
    if n == 0:
        return
    pending = d["comp"] > AS_OF
    rating = np.where(pending, 0, _ratings(d))
    order = np.lexsort((d["rmin"], d["recv"], d["lab"]))
    cols = {k: v[order] for k, v in d.items() if isinstance(v, np.ndarray) and v.shape == (n,)}
    pending, rating = pending[order], rating[order]
    # sequence number within (code, day), in time order
    key = cols["lab"].astype(np.int64) * 100_000 + _didx(cols["recv"])
    first = np.r_[True, key[1:] != key[:-1]]
    seq = np.arange(n) - np.maximum.accumulate(np.where(first, np.arange(n), 0)) + 1
    labels = np.array(p.formers + [p.name], dtype=S)
    codes = np.array([f"H{province_code}.{c}-" for c in p.former_codes + [p.code]], dtype=S)
    fields = np.array(FIELD_NAMES, dtype=S)
    procs = np.array([x[1] for x in PROCEDURES], dtype=S)
    channels = np.array(["0", "1", "2", "3"], dtype=S)
    ratings = np.array(RATINGS, dtype=S)
    due_text = np.strings.add(_DATE_STR, " 16:30")
    for a in range(0, n, BLOCK):
        b = slice(a, a + BLOCK)
        lab, ri, di = cols["lab"][b], _didx(cols["recv"][b]), _didx(cols["due"][b])
        pend = pending[b]
        ci = np.where(pend, 0, _didx(np.minimum(cols["comp"][b], _TABLE_END)))
        completed = np.where(pend, np.array("", dtype=S), _cat(_DATE_STR[ci], " ", _HHMM[cols["cmin"][b]]))
        rows = _cat(codes[lab], _YYMMDD[ri], "-", np.strings.zfill(seq[b].astype(S), 4), ",",
                    labels[lab], ",", fields[cols["fidx"][b]], ",", procs[cols["pidx"][b]], ",",
                    channels[cols["channel"][b]], ",", _DATE_STR[ri], " ", _HHMM[cols["rmin"][b]], ",",
                    np.where(cols["due_time"][b], due_text[di], _DATE_STR[di]), ",", completed, ",",
                    np.where(cols["digit"][b], np.array("1", dtype=S), np.array("0", dtype=S)), ",",
                    ratings[rating[b]], "\n")
        yield "".join(rows.tolist()).encode("utf-8")


def _cat(*parts) -> np.ndarray:
    out = parts[0] if isinstance(parts[0], np.ndarray) else np.array(parts[0], dtype=S)
    for x in parts[1:]:
        out = np.strings.add(out, x if isinstance(x, np.ndarray) else np.array(x, dtype=S))
    return out


def write_dossiers(path: Path, ref, profs: list[Profile], seed: int, scale: float) -> int:
    cal = {name_key(u): args for u, *args in _HUE_CALIBRATION} if _is_hue(ref) else {}
    total = 0
    level = 9 if scale <= 2 else 6  # the bundled sample as small as it gets; big volumes in reasonable time
    with open(path, "wb") as raw, gzip.GzipFile(filename="dossiers.csv", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=level) as gz:
        gz.write(DOSSIER_HEADER.encode("utf-8"))
        for p in profs:
            d = _unit_dossiers(p, seed, scale)
            _late_after_hours(p, d, seed)
            if p.key in cal:
                _calibrate(d, *cal[p.key])
            total += d["recv"].size
            for chunk in _dossier_rows(p, d, ref.province_code):
                gz.write(chunk)
    return total


# --- tourism, agriculture, fishery -----------------------------------------------------------------

def _vn_int(x: float) -> str:
    return f"{round(x):,}".replace(",", ".")


def _vn_dec(x: float) -> str:
    return f"{x:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _split(p: Profile, min_share: float = 0.06, farm: bool = False) -> list[tuple[str, float]]:
    """Shares of a unit's pre-merger value among its former communes (tiny shares dropped).

    ``farm``: wards and towns farm less than rural communes.
    """
    w = p.weights * (np.array([0.35 if t in ("Phường", "Thị trấn") else 1.0 for t in p.former_types]) if farm else 1.0)
    w = w / w.sum()
    w = np.where(w >= min_share, w, 0.0)
    if w.sum() == 0:
        w = p.weights
    w = w / w.sum()
    return [(name, share) for name, share in zip(p.formers, w) if share > 0]


_SEASON_INLAND = np.array([0.85, 0.95, 1.0, 1.1, 1.05, 1.1, 1.15, 1.1, 0.85, 0.62, 0.55, 0.72])
_SEASON_COAST = np.array([0.45, 0.55, 0.75, 0.95, 1.45, 2.0, 2.35, 2.05, 1.0, 0.42, 0.32, 0.38])
_TET_MONTH = {2024: 2, 2025: 1, 2026: 2}
_YEAR_TOURISM = {2024: 0.9, 2025: 1.0, 2026: 1.08}
VISITORS_2025 = 6_300_000


def _tourism_monthly(p: Profile) -> dict[np.datetime64, float]:
    """Visitors per month before normalisation."""
    out = {}
    for m in _months():
        y, mo = _ym(m)
        f = (_SEASON_COAST if p.group == "coastal" else _SEASON_INLAND)[mo - 1] * _YEAR_TOURISM[y]
        if mo == _TET_MONTH[y]:
            f *= 1.15
        if mo == 6 and y % 2 == 0:  # Festival Huế in June of even years
            f *= 1.45 if p.group == "urban" else 1.15
        if (y, mo) in {(2025, 10), (2025, 11)}:
            f *= 0.7
        if (y, mo) in {(2024, 10), (2024, 11)}:
            f *= 0.85
        out[m] = f
    return out


def write_tourism(path: Path, ref, profs: list[Profile], seed: int) -> None:
    rng = np.random.default_rng([seed, 3])
    hue = _is_hue(ref)
    shapes = {p.code: _tourism_monthly(p) for p in profs if p.visitors > 0}
    # Scale each unit so its 2025 total is its profile's; then the city's 2025 total to 6.3 million.
    vals = {}
    for p in profs:
        if p.code not in shapes:
            continue
        sh = shapes[p.code]
        y25 = sum(v for m, v in sh.items() if _ym(m)[0] == 2025)
        vals[p.code] = {m: v / y25 * p.visitors * rng.uniform(0.93, 1.07) for m, v in sh.items()}
    if hue:
        pq = next((p.code for p in profs if p.key == name_key("Phong Quảng")), None)
        total = sum(v for c, mv in vals.items() for m, v in mv.items() if _ym(m)[0] == 2025)
        fixed = sum(v for m, v in vals.get(pq, {}).items() if _ym(m)[0] == 2025)
        k = (VISITORS_2025 - fixed) / (total - fixed)
        for c, mv in vals.items():
            if c != pq:
                vals[c] = {m: v * k for m, v in mv.items()}
    rows = []
    q3 = [np.datetime64("2025-07", "M"), np.datetime64("2025-08", "M"), np.datetime64("2025-09", "M")]
    for p in profs:
        if p.code not in vals:
            continue
        recs = {}
        for m, v in vals[p.code].items():
            mo = _ym(m)[1]
            intl_share = p.intl * (1.3 if mo in (1, 2, 3, 12) else 0.8 if mo in (6, 7, 8) else 1.0)
            intl = round(v * intl_share)
            dom = round(v) - intl
            over = round(v * p.overnight * rng.uniform(0.9, 1.1))
            rev = v * p.spend * (1 + intl_share) * rng.uniform(0.92, 1.08)
            recs[m] = [dom, intl, over, round(rev, 1)]
        if hue and p.key == name_key("Phong Quảng"):
            _calibrate_pq_tourism(recs, q3, rng)
        for m in sorted(recs):
            dom, intl, over, rev = recs[m]
            y, mo = _ym(m)
            month = f"{mo:02d}/{y}"
            if m < np.datetime64("2025-07", "M"):
                for name, share in _split(p, 0.12):
                    d, i, o = round(dom * share), round(intl * share), round(over * share)
                    rows.append((p.code, 0, name, m, [name, month, _vn_int(d), _vn_int(i), _vn_int(o), _vn_dec(rev * share)]))
            else:
                rows.append((p.code, 1, p.name, m, [p.name, month, _vn_int(dom), _vn_int(intl), _vn_int(over), _vn_dec(rev)]))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(["Xã/Phường", "Tháng", "Khách nội địa", "Khách quốc tế", "Khách lưu trú", "Doanh thu (triệu đồng)"])
    w.writerows(r[4] for r in rows)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def _calibrate_pq_tourism(recs: dict, q3: list, rng) -> None:
    """Phong Quảng Q3/2025: 'gần 70.000 lượt khách, doanh thu hơn 20 tỷ đồng'."""
    target_v = int(rng.integers(67_000, 69_000))
    target_r = round(float(rng.uniform(20_600, 22_400)), 1)
    tv = sum(recs[m][0] + recs[m][1] for m in q3)
    tr = sum(recs[m][3] for m in q3)
    for m in q3:
        dom, intl, over, rev = recs[m]
        k = target_v / tv
        recs[m] = [round(dom * k), round(intl * k), round(over * k), round(rev * target_r / tr, 1)]
    last = recs[q3[-1]]
    last[0] += target_v - sum(recs[m][0] + recs[m][1] for m in q3)
    last[3] = round(last[3] + target_r - sum(recs[m][3] for m in q3), 1)


_RICE_YIELD = {"urban": (64, 56), "coastal": (60, 52), "lowland": (68, 60), "mountain": (48, 42)}
_CITY_YIELD = {2024: 61.6, 2025: 62.1, 2026: 62.5}
PQ_YIELD_2025 = 43.7


def write_agriculture(path: Path, ref, profs: list[Profile], seed: int) -> None:
    rng = np.random.default_rng([seed, 4])
    hue = _is_hue(ref)
    seasons = [(2024, "Đông Xuân"), (2024, "Hè Thu"), (2025, "Đông Xuân"), (2025, "Hè Thu"),
               (2026, "Đông Xuân"), (2026, "Hè Thu")]
    pq = name_key("Phong Quảng") if hue else None
    # rice rows: [code, year, season, label, crop, area, yield, pq?]
    rows = []
    for p in profs:
        if p.rice <= 0:
            continue
        dx, ht = _RICE_YIELD[p.group]
        for y, s in seasons:
            area = p.rice * (0.51 if s == "Đông Xuân" else 0.49) * rng.uniform(0.97, 1.03)
            yld = (dx if s == "Đông Xuân" else ht) + rng.normal(0, 1.8)
            if p.key == pq:
                yld = (47.5 if s == "Đông Xuân" else 40.0) + rng.normal(0, 0.8)
            if y < 2025 or (y == 2025 and s == "Đông Xuân"):  # before the merger: former communes
                for name, share in _split(p, 0.08, farm=True):
                    rows.append([p.code, y, s, name, "Lúa", area * share, yld + rng.normal(0, 1.2), p.key == pq])
            else:
                rows.append([p.code, y, s, p.name, "Lúa", area, yld, p.key == pq])
    for r in rows:
        r[5] = round(r[5], 1)
        r[6] = round(r[6], 1)
    # City yield of each year ≈ target: shift every yield but Phong Quảng's.
    if hue:
        for y, target in _CITY_YIELD.items():
            yr = [r for r in rows if r[1] == y]
            area = sum(r[5] for r in yr)
            free = [r for r in yr if not r[7]]
            cur = sum(r[5] * r[6] for r in yr) / area
            delta = (target - cur) * area / sum(r[5] for r in free)
            for r in free:
                r[6] = round(r[6] + delta, 1)
    prod = [round(r[5] * r[6] / 10, 1) for r in rows]
    if hue:  # Phong Quảng 2025: yield 43.7 tạ/ha over both seasons, exactly
        idx = [i for i, r in enumerate(rows) if r[7] and r[1] == 2025]
        if idx:
            area = sum(rows[i][5] for i in idx)
            # set yields so the area-weighted mean is 43.7, then fix the total on the largest row
            cur = sum(rows[i][5] * rows[i][6] for i in idx) / area
            for i in idx:
                rows[i][6] = round(rows[i][6] + PQ_YIELD_2025 - cur, 1)
                prod[i] = round(rows[i][5] * rows[i][6] / 10, 1)
            big = max(idx, key=lambda i: rows[i][5])
            prod[big] = round(prod[big] + round(PQ_YIELD_2025 * area / 10, 1) - round(sum(prod[i] for i in idx), 1), 1)
    # Two or three rows with a production that does not match area × yield (a warning to show).
    eligible = [i for i, r in enumerate(rows) if not r[7] and r[5] > 100]
    for i, f in zip(rng.choice(eligible, size=min(3, len(eligible)), replace=False), (1.09, 0.9, 1.04)):
        prod[int(i)] = round(prod[int(i)] * f, 1)
    out = [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], pr) for r, pr in zip(rows, prod)]
    # Other crops: peanuts on the sand dunes, maize in the hills.
    for p in profs:
        crop = ("Lạc", "Đông Xuân", rng.uniform(80, 260), 24) if p.group == "coastal" and p.rice else \
               ("Ngô", "Hè Thu", rng.uniform(40, 140), 44) if p.group == "mountain" else None
        if crop is None:
            continue
        c, s, a, yl = crop
        for y in (2024, 2025, 2026):
            area = round(a * rng.uniform(0.92, 1.08), 1)
            yld = round(yl + rng.normal(0, 1.5), 1)
            before = y < 2025 or (y == 2025 and s == "Đông Xuân")
            parts = _split(p, 0.2, farm=True) if before else [(p.name, 1.0)]
            for name, share in parts:
                ar = round(area * share, 1)
                out.append((p.code, y, s, name, c, ar, yld, round(ar * yld / 10, 1)))
    season_order = {"Đông Xuân": 0, "Hè Thu": 1}
    out.sort(key=lambda r: (r[0], r[1], season_order[r[2]], r[4] != "Lúa", r[4], r[3]))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Đơn vị", "Năm", "Vụ", "Cây trồng", "Diện tích (ha)", "Năng suất (tạ/ha)", "Sản lượng (tấn)"])
    for _code, y, s, name, crop, area, yld, pr in out:
        w.writerow([name, y, s, crop, f"{area:.1f}", f"{yld:.1f}", f"{pr:.1f}"])
    path.write_bytes(buf.getvalue().encode("utf-8"))


_CAPTURE_SEASON = np.array([0.6, 0.5, 0.9, 1.2, 1.4, 1.4, 1.3, 1.2, 1.0, 0.6, 0.45, 0.45])
_AQUA_SEASON = np.array([0.6, 0.4, 0.5, 0.7, 1.0, 1.3, 1.4, 1.3, 1.1, 0.9, 1.2, 1.3])
PQ_FISH_Q3_2025 = 335.0


def write_fishery(path: Path, ref, profs: list[Profile], seed: int) -> None:
    rng = np.random.default_rng([seed, 5])
    hue = _is_hue(ref)
    rows = []
    q3 = [np.datetime64("2025-07", "M"), np.datetime64("2025-08", "M"), np.datetime64("2025-09", "M")]
    for p in profs:
        if p.group == "mountain" or (p.aqua <= 0 and p.capture <= 0):
            continue
        recs = {}  # (month, kind) → [tonnes, area]
        pond = p.aqua / 2.4 * rng.uniform(0.9, 1.1)  # ha of ponds and pens
        for m in _months():
            y, mo = _ym(m)
            grow = {2024: 0.96, 2025: 1.0, 2026: 1.03}[y]
            flood = 0.6 if (y, mo) in {(2024, 10), (2025, 10), (2025, 11), (2026, 10)} else 1.0
            if p.aqua > 0:
                t = p.aqua / 12 * _AQUA_SEASON[mo - 1] / _AQUA_SEASON.mean() * grow * flood * rng.uniform(0.85, 1.15)
                recs[(m, "Nuôi trồng")] = [round(t, 1), round(pond * grow, 1)]
            if p.capture > 0:
                t = p.capture / 12 * _CAPTURE_SEASON[mo - 1] / _CAPTURE_SEASON.mean() * grow * flood * rng.uniform(0.8, 1.2)
                recs[(m, "Khai thác")] = [round(t, 1), None]
        if hue and p.key == name_key("Phong Quảng"):
            keys = [(m, k) for m in q3 for k in ("Nuôi trồng", "Khai thác") if (m, k) in recs]
            tot = sum(recs[k][0] for k in keys)
            for k in keys:
                recs[k][0] = round(recs[k][0] * PQ_FISH_Q3_2025 / tot, 1)
            big = max(keys, key=lambda k: recs[k][0])
            recs[big][0] = round(recs[big][0] + PQ_FISH_Q3_2025 - sum(recs[k][0] for k in keys), 1)
        for (m, kind), (t, area) in recs.items():
            y, mo = _ym(m)
            month = f"{y}-{mo:02d}"
            if m < np.datetime64("2025-07", "M"):
                for name, share in _split(p, 0.1, farm=True):
                    rows.append((p.code, 0, name, month, kind, round(t * share, 1), None if area is None else round(area * share, 1)))
            else:
                rows.append((p.code, 1, p.name, month, kind, t, area))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4] != "Nuôi trồng"))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "month", "kind", "output_tonnes", "area_ha"])
    for _, _, name, month, kind, t, area in rows:
        w.writerow([name, month, kind, f"{t:.1f}", "" if area is None else f"{area:.1f}"])
    path.write_bytes(buf.getvalue().encode("utf-8"))


# --- staffing, units, events -----------------------------------------------------------------------

def write_staffing(path: Path, ref, profs: list[Profile], seed: int) -> None:
    """Approved posts, staff in post and concurrent posts each quarter since the merger."""
    rng = np.random.default_rng([seed, 6])
    dates = ["2025-07-01", "2025-10-01", "2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "as_of", "approved_posts", "staff", "concurrent_posts"])
    for p in profs:
        approved = round(32 + p.population / 4_500 + p.volume / 120)
        surplus = rng.random() < 0.12  # "nơi thừa, nơi thiếu"
        short = -rng.integers(1, 4) if surplus else rng.integers(3, 11) + (4 if p.attention else 0) + (3 if p.volume > 900 else 0)
        conc = rng.integers(6, 14) + (6 if p.volume > 900 else 0) + (5 if p.attention else 0)
        hired = np.cumsum(rng.random(len(dates)) < (0.0 if surplus else 0.45)) - 1 * (not surplus)
        for i, d in enumerate(dates):
            staff = max(int(approved - short + max(hired[i], 0)), 10)
            c = max(int(conc - i * rng.uniform(0.3, 1.2)), 2)
            w.writerow([p.name, d, approved, staff, c])
    path.write_bytes(buf.getvalue().encode("utf-8"))


# Dossiers a month one specialist of the field handles comfortably (for the sample's head counts only).
_FIELD_CAPACITY = {"Hộ tịch": 150, "Chứng thực": 260, "Đất đai": 45, "Hộ kinh doanh": 120, "Xây dựng": 30,
                   "Bảo trợ xã hội": 60, "Người có công": 60, "Tư pháp": 60}
_SHORT_FIELDS = ("Đất đai", "Xây dựng")  # "thiếu cán bộ chuyên môn, nhất là quản lý đô thị, đất đai, xây dựng"


def write_staffing_fields(path: Path, ref, profs: list[Profile], seed: int) -> None:
    """Specialists per unit and procedure field, each half-year since the merger.

    Head counts follow each field's dossier volume, with land and construction short of staff
    as the article says: a few units have no construction or land specialist at the merger, and
    some of them recruit one later.
    """
    rng = np.random.default_rng([seed, 9])
    dates = ["2025-07-01", "2026-01-01", "2026-07-01"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Đơn vị", "Tính đến ngày", "Lĩnh vực", "Số cán bộ chuyên môn"])  # the headers of a staffing sheet
    for p in profs:
        fw = np.array(FIELD_WEIGHTS[p.group], float) * FIELD_POST_MERGER
        monthly = p.volume * fw / fw.sum()
        vacant = {f for f in _SHORT_FIELDS if rng.random() < (0.22 if f == "Xây dựng" else 0.08) + (0.15 if p.attention else 0)}
        for i, d in enumerate(dates):
            for f, volume in zip(FIELD_NAMES, monthly):
                need = volume / _FIELD_CAPACITY[f] * (0.6 if f in _SHORT_FIELDS else 1.0)
                n = max(1, int(np.floor(need + rng.uniform(0.2, 0.8))))
                if f in vacant and (i == 0 or rng.random() < 0.6):  # still vacant, or left again
                    n = 0
                w.writerow([p.name, d, f, n])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_units(path: Path, ref, profs: list[Profile]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "population"])
    for p in profs:
        w.writerow([p.name, p.population])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_events(path: Path, ref, profs: list[Profile]) -> None:
    by_key = {p.key: p for p in profs}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "label", "unit"])
    for first, _, label, unit, _ in EVENTS:
        if unit is None:
            w.writerow([first, label, ""])
        elif name_key(unit) in by_key:
            p = by_key[name_key(unit)]
            when = np.datetime64(first)
            name = p.name if when >= MERGER else p.formers[int(np.argmax(p.weights))]
            w.writerow([first, label, name])
    path.write_bytes(buf.getvalue().encode("utf-8"))


# --- site visits -----------------------------------------------------------------------------------

ARTICLE = "«Lãnh đạo thành phố kiểm tra vận hành tại Trung tâm Phục vụ hành chính công phường Phong Dinh» (28/11/2025)"
# The follow-up list of site visits: (visit date, unit short name, kind, text, body in charge, deadline,
# status, completion date). The visit to Phong Dinh of 28/11/2025 is the article's: its proposals and
# conclusions are the article's, in short; who raised a proposal is named in the text. Every deadline,
# body in charge and status is invented, as are the other visits.
VISITS = [
    ("2025-11-28", "Phong Dinh", "Kiến nghị",
     "Sớm giao biên chế chính thức, phân bổ hợp lý giữa khối Đảng và khối chính quyền (P. Phú Xuân)",
     "Sở Nội vụ", "2026-03-31", "Đang thực hiện", ""),
    ("2025-11-28", "Phong Dinh", "Kiến nghị",
     "Kiện toàn các bộ phận chuyên môn, tránh điều tiết cán bộ về nhiều cơ quan (P. Phú Xuân)",
     "Sở Nội vụ", "2026-06-30", "Chưa thực hiện", ""),
    ("2025-11-28", "Phong Dinh", "Kiến nghị",
     "Ban hành quy định về tiêu chuẩn, định biên, vị trí việc làm cấp xã (P. Phú Xuân)",
     "Sở Nội vụ", "2026-06-30", "Đã hoàn thành", "2026-06-12"),
    ("2025-11-28", "Phong Dinh", "Kiến nghị", "Tăng biên chế chuyên môn, nhất là quản lý đô thị",
     "Sở Nội vụ", "2026-12-31", "Đang thực hiện", ""),
    ("2025-11-28", "Phong Dinh", "Kiến nghị", "Hướng dẫn cụ thể các nhiệm vụ được phân cấp",
     "Văn phòng UBND thành phố", "2026-02-28", "Đã hoàn thành", "2026-02-24"),
    ("2025-11-28", "Phong Dinh", "Phát hiện", "Nhiều vị trí kiêm nhiệm chịu áp lực công việc sau sáp nhập",
     "", "", "Chưa thực hiện", ""),
    ("2025-11-28", "Phong Dinh", "Chỉ đạo", "Rà soát chức năng, nhiệm vụ, tránh chồng chéo, rõ người, rõ việc",
     "UBND phường Phong Dinh", "2026-01-31", "Đã hoàn thành", "2026-01-26"),
    ("2025-11-28", "Phong Dinh", "Chỉ đạo", "Tập huấn chuyên môn, quản lý đô thị và kỹ năng số cho cán bộ",
     "UBND phường Phong Dinh", "2026-06-30", "Đang thực hiện", ""),
    ("2025-11-28", "Phong Dinh", "Chỉ đạo", "Đẩy mạnh chuyển đổi số, xây dựng cơ sở dữ liệu dùng chung",
     "Sở Khoa học và Công nghệ", "2026-12-31", "Đang thực hiện", ""),
    ("2025-08-15", "Phong Quảng", "Chỉ đạo", "Khắc phục lỗi liên thông hồ sơ với hệ thống của thành phố",
     "Sở Khoa học và Công nghệ", "2025-09-30", "Đã hoàn thành", "2025-10-08"),
    ("2025-08-15", "Phong Quảng", "Phát hiện", "Khu vực chờ của bộ phận một cửa thiếu chỗ ngồi",
     "UBND phường Phong Quảng", "2025-10-31", "Đã hoàn thành", "2025-10-20"),
    ("2026-03-12", "Đan Điền", "Chỉ đạo", "Giảm hồ sơ trễ hạn lĩnh vực đất đai",
     "UBND xã Đan Điền", "2026-06-30", "Đang thực hiện", ""),
    ("2026-03-12", "Đan Điền", "Kiến nghị", "Bổ sung công chức địa chính – xây dựng",
     "Sở Nội vụ", "2026-09-30", "Chưa thực hiện", ""),
    ("2026-05-20", "Thuận An", "Chỉ đạo", "Số hóa hồ sơ tồn từ trước sáp nhập",
     "UBND phường Thuận An", "2026-08-31", "Đang thực hiện", ""),
    ("2026-05-20", "Thuận An", "Chỉ đạo", "Niêm yết công khai đủ thủ tục tại bộ phận một cửa",
     "UBND phường Thuận An", "2026-06-30", "Đã hoàn thành", "2026-06-10"),
    ("2026-09-10", "Phú Xuân", "Chỉ đạo", "Rút ngắn thời gian giải quyết hồ sơ hộ tịch",
     "UBND phường Phú Xuân", "2026-11-30", "Chưa thực hiện", ""),
]


def write_visits(path: Path, ref, profs: list[Profile]) -> None:
    """The follow-up list of site visits, as an office would keep it (Vietnamese headers, day-first
    dates). Outside Huế, the visits are laid on the province's first units in order, without the
    article's visit."""
    by_key = {p.key: p for p in profs}
    hue = _is_hue(ref)
    rows = VISITS if hue else [v for v in VISITS if v[1] != "Phong Dinh"]
    others = {}  # short name → a unit of another province
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Ngày kiểm tra", "Đơn vị", "Loại", "Nội dung", "Cơ quan chủ trì", "Hạn", "Trạng thái",
                "Ngày hoàn thành"])

    def day(iso: str) -> str:
        return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""

    for visit, unit, kind, text, owner, due, status, closed in rows:
        if hue:
            p = by_key[name_key(unit)]
        else:
            p = others.setdefault(unit, profs[len(others) % len(profs)])
        w.writerow([day(visit), p.name, kind, text, owner, day(due), status, day(closed)])
    path.write_bytes(buf.getvalue().encode("utf-8"))


# --- entry point -----------------------------------------------------------------------------------

FILES = ["dossiers.csv.gz", "tourism.csv", "agriculture.csv", "fishery.csv", "staffing.csv", "units.csv", "events.csv",
         "staffing_fields.csv", "visits.csv"]
NOTES = {  # where a sample file's content comes from, beside the manifest's checksums
    "visits.csv": ("Dữ liệu mẫu. Lần kiểm tra Phường Phong Dinh ngày 28/11/2025 và các kiến nghị, kết luận "
                   f"của nó được tóm tắt từ bài báo {ARTICLE}; cơ quan chủ trì, hạn và trạng thái là giả định. "
                   "Các lần kiểm tra khác là giả định hoàn toàn."),
}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_sample(out_dir: Path, seed: int = 0, scale: float = 1.0) -> list[Path]:
    """Write the sample exports into ``out_dir``; returns the paths written (manifest last)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ref = refdata.load(settings.get("province"))
    profs = profiles(ref, seed)
    paths = [out_dir / f for f in FILES]
    write_dossiers(paths[0], ref, profs, seed, scale)
    write_tourism(paths[1], ref, profs, seed)
    write_agriculture(paths[2], ref, profs, seed)
    write_fishery(paths[3], ref, profs, seed)
    write_staffing(paths[4], ref, profs, seed)
    write_units(paths[5], ref, profs)
    write_events(paths[6], ref, profs)
    write_staffing_fields(paths[7], ref, profs, seed)
    write_visits(paths[8], ref, profs)
    manifest = {"sample": True, "seed": seed, "scale": float(scale), "generated_by": "python -m communes sample",
                "files": {p.name: _sha256(p) for p in paths},
                "notes": {k: v for k, v in NOTES.items() if k in {p.name for p in paths}}}
    mpath = out_dir / "sample.json"
    mpath.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return paths + [mpath]
