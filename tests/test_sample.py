"""The sample generator: article figures, names by date, shape of each file, determinism.

The sample is generated once (scale 1, seed 0) into a temporary folder and read back
with plain pandas; the indicators are computed here, independently of the project's
SQL, exactly as data-contract.md defines them (Biểu 06).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import tomllib

import numpy as np
import pandas as pd
import pytest

from communes import refdata, settings
from communes.names import name_key
from communes.sample import write_sample

FILES = ["dossiers.csv.gz", "tourism.csv", "agriculture.csv", "fishery.csv", "staffing.csv", "units.csv",
         "events.csv", "staffing_fields.csv", "visits.csv", "sample.json"]
MERGER = pd.Timestamp("2025-07-01")
HUE = "Thành phố Huế"


@pytest.fixture(scope="module")
def ref():
    return refdata.load(HUE)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    paths = write_sample(out, seed=0, scale=1.0)
    return out, paths


@pytest.fixture(scope="module")
def codes(ref):
    """Unit code of a code-less name: former names before the merger, current names from it."""
    former = dict(zip(ref.former.former_name, ref.former.unit_code))
    current = dict(zip(ref.units.unit_name, ref.units.unit_code))

    def resolve(names: pd.Series, before: pd.Series) -> pd.Series:
        return pd.Series(np.where(before, names.map(former), names.map(current)), index=names.index)
    return resolve


@pytest.fixture(scope="module")
def unit_code(ref):
    by_key = dict(zip(ref.units.short_name.map(name_key), ref.units.unit_code))
    return lambda short: by_key[name_key(short)]


@pytest.fixture(scope="module")
def dossiers(sample, codes):
    df = pd.read_csv(sample[0] / "dossiers.csv.gz", dtype=str, keep_default_na=False)
    recv = pd.to_datetime(df.received_at, format="%Y-%m-%d %H:%M")
    comp = pd.to_datetime(df.completed_at.where(df.completed_at != "", None), format="%Y-%m-%d %H:%M")
    timed = df.due_at.str.len() > 10
    due_day = pd.to_datetime(df.due_at.str.slice(0, 10), format="%Y-%m-%d")
    # A due date without a time means the end of that day.
    due_end = (due_day + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)).where(
        ~timed, pd.to_datetime(df.due_at.where(timed, "2000-01-01 00:00"), format="%Y-%m-%d %H:%M"))
    return pd.DataFrame({
        "id": df.dossier_id, "label": df.unit, "code": codes(df.unit, recv < MERGER), "channel": df.channel,
        "recv": recv, "comp": comp, "due_day": due_day, "due_end": due_end, "digitized": df.digitized == "1",
        "rating": df.rating, "field": df.field,
    })


def indicators(d: pd.DataFrame, start: str, end: str, units: list[str] | None = None) -> dict:
    """Biểu 06 for [start, end] (end = end of that day) over ``units`` (None = all)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    if units is not None:
        d = d[d.code.isin(units)]
    new = d[(d.recv >= s) & (d.recv < e)]
    res = d[(d.comp >= s) & (d.comp < e)]
    early = res.comp.dt.normalize() < res.due_day
    on_time = ~early & (res.comp.dt.normalize() == res.due_day) & (res.comp <= res.due_end)
    return {"new": len(new), "resolved": len(res), "early": int(early.sum()), "on_time": int(on_time.sum()),
            "on_time_rate": (early.sum() + on_time.sum()) / len(res), "digitized_rate": new.digitized.mean(),
            "online_rate": (new.channel == "2").mean()}


def vn_number(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))


def mountain_codes(ref) -> set[str]:
    doc = tomllib.loads(settings.path("groups_file").read_text(encoding="utf-8"))
    keys = {name_key(n) for g in doc["group"] if g["id"] == "mountain" for n in g["units"]}
    return set(ref.units.unit_code[ref.units.short_name.map(name_key).isin(keys)])


# --- files ---------------------------------------------------------------------------------------

def test_writes_the_files_and_a_manifest(sample):
    out, paths = sample
    assert [p.name for p in paths] == FILES
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    doc = json.loads((out / "sample.json").read_text(encoding="utf-8"))
    assert doc["sample"] is True and doc["seed"] == 0 and doc["scale"] == 1.0
    assert doc["generated_by"] == "python -m communes sample"
    for name, digest in doc["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert set(doc["files"]) == set(FILES) - {"sample.json"}


def test_total_size_fits_the_repository_budget(sample):
    out, _ = sample
    assert sum(p.stat().st_size for p in out.iterdir()) <= 14 * 1024 * 1024


def test_headers_and_formats(sample):
    out, _ = sample
    def first(name, enc="utf-8"):
        return (out / name).read_text(encoding=enc).splitlines()[0]

    with gzip.open(out / "dossiers.csv.gz", "rt", encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n") == "dossier_id,unit,field,procedure,channel,received_at,due_at,completed_at,digitized,rating"
    assert (out / "tourism.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert first("tourism.csv", "utf-8-sig") == "Xã/Phường;Tháng;Khách nội địa;Khách quốc tế;Khách lưu trú;Doanh thu (triệu đồng)"
    assert first("agriculture.csv") == "Đơn vị,Năm,Vụ,Cây trồng,Diện tích (ha),Năng suất (tạ/ha),Sản lượng (tấn)"
    assert first("fishery.csv") == "unit,month,kind,output_tonnes,area_ha"
    assert first("staffing.csv") == "unit,as_of,approved_posts,staff,concurrent_posts"
    assert first("units.csv") == "unit,population"
    assert first("events.csv") == "date,label,unit"
    assert first("staffing_fields.csv") == "Đơn vị,Tính đến ngày,Lĩnh vực,Số cán bộ chuyên môn"
    t = pd.read_csv(out / "tourism.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert t["Tháng"].str.fullmatch(r"\d\d/20\d\d").all()
    assert t["Doanh thu (triệu đồng)"].str.fullmatch(r"\d{1,3}(\.\d{3})*,\d").all()
    assert t["Khách nội địa"].str.fullmatch(r"\d{1,3}(\.\d{3})*").all()


# --- dossiers ------------------------------------------------------------------------------------

def test_dossier_rows_are_sound(dossiers):
    d = dossiers
    assert 400_000 <= len(d) <= 700_000
    assert d.id.is_unique
    assert d.code.notna().all(), "every unit name resolves on the map in force on its date"
    done = d.comp.notna()
    assert (d.comp[done] >= d.recv[done]).all()
    assert (d.due_day >= d.recv.dt.normalize()).all()
    assert set(d.channel) == {"1", "2", "3"}
    assert set(d.rating) == {"", "Hài lòng", "Bình thường", "Không hài lòng"}
    assert d.recv.min() >= pd.Timestamp("2024-01-01") and d.recv.max() < pd.Timestamp("2026-11-01")
    hours = d.recv.dt.hour * 60 + d.recv.dt.minute
    assert hours.between(7 * 60, 17 * 60).all()
    rated = (d.rating[done] != "").mean()
    assert 0.25 <= rated <= 0.35
    assert (d.rating[d.rating != ""] == "Hài lòng").mean() > 0.7


def test_former_names_before_the_merger_current_names_after(dossiers, ref):
    pre = dossiers.recv < MERGER
    assert set(dossiers.label[pre]) == set(ref.former.former_name)
    assert set(dossiers.label[~pre]) == set(ref.units.unit_name)
    assert dossiers.code[~pre].nunique() == 40


def test_phong_quang_q3_2025(dossiers, unit_code):
    k = indicators(dossiers, "2025-07-01", "2025-09-30", [unit_code("Phong Quảng")])
    assert k["new"] > 2300
    assert 0.93 <= k["on_time_rate"] < 0.95
    assert k["digitized_rate"] >= 0.99


def test_dan_dien_since_the_merger(dossiers, unit_code):
    k = indicators(dossiers, "2025-07-01", "2025-10-31", [unit_code("Đan Điền")])
    assert k["resolved"] > 3200
    assert round(k["on_time_rate"] * 100, 1) == 98.8


def test_city_first_four_months(dossiers):
    k = indicators(dossiers, "2025-07-01", "2025-10-31")
    assert k["on_time_rate"] > 0.95
    assert k["digitized_rate"] >= 0.98


def test_city_trends(dossiers):
    early, late = indicators(dossiers, "2024-01-01", "2024-03-31"), indicators(dossiers, "2026-07-01", "2026-09-30")
    assert 0.25 <= early["online_rate"] <= 0.35 and 0.55 <= late["online_rate"] <= 0.68
    assert early["digitized_rate"] < 0.7 and late["digitized_rate"] >= 0.98
    for q in ["2024-01-01", "2024-07-01", "2025-01-01", "2025-07-01", "2026-01-01", "2026-07-01"]:
        end = (pd.Timestamp(q) + pd.offsets.QuarterEnd()).date().isoformat()
        assert 0.94 <= indicators(dossiers, q, end)["on_time_rate"] <= 0.975
    # dips: the flood month and Tết below the calm months around them
    flood, calm = indicators(dossiers, "2025-11-01", "2025-11-30"), indicators(dossiers, "2025-12-01", "2025-12-31")
    assert flood["on_time_rate"] < calm["on_time_rate"] - 0.01


def test_some_units_need_attention(dossiers, ref):
    rates = [indicators(dossiers, "2026-07-01", "2026-09-30", [c])["on_time_rate"] for c in ref.units.unit_code]
    below = sum(r < 0.95 for r in rates)
    assert 3 <= below <= 10


def test_pending_dossiers(dossiers):
    d = dossiers
    as_of = pd.Timestamp("2026-10-31 23:59")
    pending = d.comp.isna()
    assert (pending & (d.due_end < as_of)).sum() > 20, "some pending overdue at the as-of date"
    across = (d.recv < MERGER) & (pending | (d.comp >= MERGER))
    assert across.sum() > 100, "dossiers received before the merger still pending on 1 July 2025"


def test_volumes_follow_the_groups(dossiers, unit_code, ref):
    post = dossiers[dossiers.recv >= MERGER]
    per_month = post.groupby("code").size() / 16
    assert per_month.idxmax() == unit_code("Phú Xuân")
    top4 = {unit_code(n) for n in ["Phú Xuân", "Thuận Hóa", "Kim Long", "Thủy Xuân"]}
    assert set(per_month.nlargest(4).index) == top4
    assert per_month[list(mountain_codes(ref))].max() < 200


# --- tourism, agriculture, fishery ---------------------------------------------------------------

@pytest.fixture(scope="module")
def tourism(sample, codes):
    t = pd.read_csv(sample[0] / "tourism.csv", sep=";", dtype=str, encoding="utf-8-sig")
    month = pd.to_datetime("01/" + t["Tháng"], format="%d/%m/%Y")
    return pd.DataFrame({"code": codes(t["Xã/Phường"], month < MERGER), "label": t["Xã/Phường"], "month": month,
                         "visitors": vn_number(t["Khách nội địa"]) + vn_number(t["Khách quốc tế"]),
                         "revenue_vnd": vn_number(t["Doanh thu (triệu đồng)"]) * 1e6})


def test_tourism(tourism, unit_code):
    assert tourism.code.notna().all()
    pq = tourism[(tourism.code == unit_code("Phong Quảng")) & tourism.month.between("2025-07-01", "2025-09-30")]
    assert len(pq) == 3
    assert 65_000 <= pq.visitors.sum() <= 70_000
    assert 20e9 <= pq.revenue_vnd.sum() <= 23e9
    y2025 = tourism[tourism.month.dt.year == 2025].visitors.sum()
    assert 6.2e6 <= y2025 <= 6.4e6
    by_unit = tourism[tourism.month.dt.year == 2025].groupby("code").visitors.sum()
    assert by_unit.idxmax() == unit_code("Phú Xuân")
    monthly = tourism.groupby(["code", "month"]).visitors.sum()
    thuan_an = monthly[unit_code("Thuận An")]
    assert thuan_an["2025-07-01"] > 2 * thuan_an["2025-11-01"], "summer beach peak"
    festival = monthly[unit_code("Phú Xuân")]
    assert festival["2026-06-01"] > festival["2025-06-01"] * 1.2, "Festival Huế in June of even years"


@pytest.fixture(scope="module")
def agriculture(sample, codes):
    a = pd.read_csv(sample[0] / "agriculture.csv", dtype={"Năm": int})
    before = (a["Năm"] < 2025) | ((a["Năm"] == 2025) & (a["Vụ"] == "Đông Xuân"))
    a["code"] = codes(a["Đơn vị"], before)
    a["before"] = before
    return a


def test_agriculture(agriculture, unit_code, ref):
    a = agriculture
    assert a.code.notna().all()
    assert set(a["Vụ"]) == {"Đông Xuân", "Hè Thu"} and set(a["Năm"]) == {2024, 2025, 2026}
    assert set(a["Đơn vị"][a.before]) <= set(ref.former.former_name)
    assert set(a["Đơn vị"][~a.before]) <= set(ref.units.unit_name)
    rice = a[a["Cây trồng"] == "Lúa"]
    pq = rice[(rice.code == unit_code("Phong Quảng")) & (rice["Năm"] == 2025)]
    assert set(pq["Vụ"]) == {"Đông Xuân", "Hè Thu"}
    assert round(pq["Sản lượng (tấn)"].sum() * 10 / pq["Diện tích (ha)"].sum(), 1) == 43.7
    for _year, g in rice.groupby("Năm"):
        assert 51_000 <= g["Diện tích (ha)"].sum() <= 55_000
        assert 61 <= g["Sản lượng (tấn)"].sum() * 10 / g["Diện tích (ha)"].sum() <= 63
    expected = a["Diện tích (ha)"] * a["Năng suất (tạ/ha)"] / 10
    off = (a["Sản lượng (tấn)"] - expected).abs() > 0.02 * expected
    assert 2 <= off.sum() <= 3
    urban_core = {unit_code(n) for n in ["Phú Xuân", "Thuận Hóa", "Vỹ Dạ", "Kim Long", "Thủy Xuân"]}
    assert not rice.code.isin(urban_core).any()


@pytest.fixture(scope="module")
def fishery(sample, codes):
    f = pd.read_csv(sample[0] / "fishery.csv", dtype={"month": str})
    month = pd.to_datetime(f.month + "-01")
    f["code"] = codes(f.unit, month < MERGER)
    f["m"] = month
    return f


def test_fishery(fishery, unit_code, ref):
    f = fishery
    assert f.code.notna().all()
    assert set(f.kind) == {"Nuôi trồng", "Khai thác"}
    assert f.area_ha[f.kind == "Khai thác"].isna().all() and f.area_ha[f.kind == "Nuôi trồng"].notna().all()
    pq = f[(f.code == unit_code("Phong Quảng")) & f.m.between("2025-07-01", "2025-09-30")]
    assert round(pq.output_tonnes.sum(), 1) == 335.0
    assert not f.code.isin(mountain_codes(ref)).any(), "no fishery in the mountains"


def test_staffing_units_events(sample, ref):
    out, _ = sample
    s = pd.read_csv(out / "staffing.csv")
    assert set(s.unit) == set(ref.units.unit_name)
    assert sorted(set(s.as_of)) == ["2025-07-01", "2025-10-01", "2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"]
    latest = s[s.as_of == "2026-10-01"]
    assert (latest.staff < latest.approved_posts).sum() >= 25, "many units short of staff"
    assert (latest.concurrent_posts >= 5).sum() >= 20, "many concurrent posts"
    u = pd.read_csv(out / "units.csv")
    assert set(u.unit) == set(ref.units.unit_name) and len(u) == 40
    assert 1.15e6 <= u.population.sum() <= 1.25e6
    e = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    assert {"Lũ lịch sử", "Festival Huế 2024", "Festival Huế 2026"} <= set(e.label)
    assert e.label.str.contains("liên thông").any()
    assert pd.to_datetime(e.date).is_monotonic_increasing
    assert set(e.unit) - {""} <= set(ref.units.unit_name)


# --- determinism and other provinces --------------------------------------------------------------

def test_same_seed_same_bytes(sample, tmp_path):
    a = json.loads((write_sample(tmp_path / "a", seed=0, scale=0.05)[-1]).read_text(encoding="utf-8"))
    b = json.loads((write_sample(tmp_path / "b", seed=0, scale=0.05)[-1]).read_text(encoding="utf-8"))
    assert a == b
    full = json.loads((sample[0] / "sample.json").read_text(encoding="utf-8"))
    for name in ["tourism.csv", "agriculture.csv", "fishery.csv", "staffing.csv"]:  # scale is for dossiers only
        assert a["files"][name] == full["files"][name]
    c = json.loads((write_sample(tmp_path / "c", seed=1, scale=0.05)[-1]).read_text(encoding="utf-8"))
    assert c["files"]["dossiers.csv.gz"] != a["files"]["dossiers.csv.gz"]


def test_scale_multiplies_the_dossiers(tmp_path):
    def rows(folder):
        with gzip.open(folder / "dossiers.csv.gz", "rt", encoding="utf-8") as fh:
            return sum(1 for _ in fh) - 1

    write_sample(tmp_path / "s1", scale=0.05)
    write_sample(tmp_path / "s2", scale=0.1)
    assert 1.8 <= rows(tmp_path / "s2") / rows(tmp_path / "s1") <= 2.2


def test_another_province_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNES_PROVINCE", "Thành phố Đà Nẵng")
    paths = write_sample(tmp_path, scale=0.05)
    other = refdata.load("Thành phố Đà Nẵng")
    d = pd.read_csv(tmp_path / "dossiers.csv.gz", dtype=str, keep_default_na=False)
    after = d.received_at >= "2025-07-01"
    assert set(d.unit[after]) == set(other.units.unit_name)
    assert set(d.unit[~after]) <= set(other.former.former_name) | set(other.units.unit_name)
    assert len(paths) == len(FILES)
