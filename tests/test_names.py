"""Unit names and codes resolved against the administrative map in force on the record's date."""
from __future__ import annotations

import unicodedata

import pytest

from communes import refdata
from communes.names import ascii_key, name_key, split_type

BEFORE, AFTER = True, False  # before_merger: a record dated before / from 1 July 2025


@pytest.fixture(scope="module")
def hue():
    return refdata.load("Thành phố Huế")


def test_hue_reference_data_has_40_units_and_133_former_communes(hue):
    assert len(hue.units) == 40
    assert hue.units.unit_type.value_counts().to_dict() == {"Phường": 21, "Xã": 19}
    assert len(hue.former) == 133
    assert hue.units.unit_code.is_unique and hue.former.former_code.is_unique
    assert set(hue.former.unit_code) <= set(hue.units.unit_code)  # every lineage lands on a current unit
    assert hue.unit_name("19873") == "Phường Phong Quảng"


def test_another_province_loads_the_same_way():
    dn = refdata.load("Thành phố Đà Nẵng")
    assert len(dn.units) == 94
    assert dn.province == "Thành phố Đà Nẵng"
    assert set(dn.former.unit_code) <= set(dn.units.unit_code)
    assert "19873" not in set(dn.units.unit_code)  # nothing leaks from Huế


def test_unknown_province_is_refused_in_vietnamese():
    with pytest.raises(ValueError, match="Không tìm thấy tỉnh/thành phố «Atlantis»"):
        refdata.load("Atlantis")


# --- the two maps and the names that differ by one diacritic --------------------------------------

def test_thuan_hoa_in_march_2025_is_the_former_ward_now_in_phu_xuan(hue):
    m = refdata.resolve(hue, "Phường Thuận Hòa", BEFORE)
    assert (m.unit_code, m.former_code, m.error) == ("19753", "19762", None)
    assert hue.unit_name("19753") == "Phường Phú Xuân"


def test_thuan_hoa_in_august_2025_is_the_current_ward(hue):
    m = refdata.resolve(hue, "Phường Thuận Hóa", AFTER)
    assert (m.unit_code, m.former_code, m.error) == ("19789", None, None)


def test_current_thuan_hoa_spelling_before_the_merger_is_not_the_former_thuan_hoa(hue):
    # A re-keyed pre-merger record carrying the current name must not fall into Phú Xuân
    # through the diacritic-free fallback (a bug: "Thuận Hóa" was matched to former "Thuận Hòa").
    m = refdata.resolve(hue, "Phường Thuận Hóa", BEFORE)
    assert (m.unit_code, m.former_code) == ("19789", None)


def test_former_thuan_hoa_after_the_merger_is_an_error_not_thuan_hoa(hue):
    # The same bug the other way: former "Thuận Hòa" in August 2025 silently became "Thuận Hóa".
    m = refdata.resolve(hue, "Phường Thuận Hòa", AFTER)
    assert m.unit_code is None
    assert "tên xã/phường cũ" in m.error


def test_name_without_diacritics_still_resolves_on_each_map(hue):
    assert refdata.resolve(hue, "Phuong Thuan Hoa", BEFORE).former_code == "19762"
    assert refdata.resolve(hue, "Phuong Thuan Hoa", AFTER).unit_code == "19789"
    assert refdata.resolve(hue, "Xa Quang Cong", BEFORE).former_code == "19879"
    assert refdata.resolve(hue, "Chan May - Lang Co", AFTER).unit_code == "20137"


@pytest.mark.parametrize("text", ["Phường Thuận Hoà", "Phường Thuận Hòa", "phường thuận hoà"])
def test_old_and_new_tone_placement_mean_the_same_former_ward(hue, text):
    assert refdata.resolve(hue, text, BEFORE).former_code == "19762"


@pytest.mark.parametrize("text", ["Phường Thuỷ Xuân", "Phường Thủy Xuân", "Thuỷ Xuân", "thủy xuân"])
def test_thuy_xuan_both_spellings(hue, text):
    m = refdata.resolve(hue, text, AFTER)
    assert (m.unit_code, m.error) == ("19813", None)


@pytest.mark.parametrize("text", ["Phường Thuỷ Xuân", "Phường Phong Quảng", "Xã Chân Mây - Lăng Cô"])
def test_nfd_decomposed_input(hue, text):
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert refdata.resolve(hue, nfd, AFTER) == refdata.resolve(hue, text, AFTER)
    assert refdata.resolve(hue, nfd, AFTER).unit_code is not None


@pytest.mark.parametrize("text", ["P. Phong Quảng", "Phong Quảng", "Phường Phong Quảng", "19873", "P.Phong Quảng",
                                  "phường phong quảng", "  Phường   Phong  Quảng ", "PHƯỜNG PHONG QUẢNG",
                                  "Phuong Phong Quang", "019873"])
def test_phong_quang_every_way_exports_write_it(hue, text):
    m = refdata.resolve(hue, text, AFTER)
    assert (m.unit_code, m.former_code, m.error) == ("19873", None, None)


@pytest.mark.parametrize("text", ["Chân Mây – Lăng Cô", "Chân Mây - Lăng Cô", "Chân Mây — Lăng Cô", "Chân Mây-Lăng Cô",
                                  "Xã Chân Mây–Lăng Cô", "Xã Chân Mây ‒ Lăng Cô", "20137"])
def test_dashes_in_chan_may_lang_co(hue, text):
    assert refdata.resolve(hue, text, AFTER).unit_code == "20137"


def test_wrong_unit_type_is_not_silently_accepted(hue):
    # Chân Mây – Lăng Cô is a commune (Xã); "Phường Chân Mây – Lăng Cô" names nothing.
    m = refdata.resolve(hue, "Phường Chân Mây – Lăng Cô", AFTER)
    assert m.unit_code is None and "không có đơn vị hành chính nào" in m.error


def test_former_commune_before_the_merger_rolls_up_and_is_kept(hue):
    m = refdata.resolve(hue, "Xã Quảng Công", BEFORE)
    assert (m.unit_code, m.former_code, m.error) == ("19873", "19879", None)


def test_former_commune_after_the_merger_is_an_error_saying_so(hue):
    m = refdata.resolve(hue, "Xã Quảng Công", AFTER)
    assert m.unit_code is None and m.former_code is None
    assert m.error == "đây là tên xã/phường cũ, không còn từ ngày 01/07/2025"


def test_current_name_is_accepted_before_the_merger(hue):
    m = refdata.resolve(hue, "Xã Đan Điền", BEFORE)
    assert m.unit_code == "19885"


@pytest.mark.parametrize("when, word", [(AFTER, "từ"), (BEFORE, "trước")])
def test_unknown_name_is_an_error_naming_the_map(hue, when, word):
    m = refdata.resolve(hue, "Xã Atlantis", when)
    assert m.unit_code is None
    assert m.error == f"không có đơn vị hành chính nào mang tên này {word} ngày 01/07/2025 tại Thành phố Huế"


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_name_is_an_error(hue, text):
    assert refdata.resolve(hue, text, AFTER).error == "thiếu tên đơn vị"


def test_unknown_code_is_an_error(hue):
    assert refdata.resolve(hue, "99999", AFTER).error is not None
    assert refdata.resolve(hue, "99999", AFTER).unit_code is None


def test_huong_van_and_huong_van_are_distinct_former_wards(hue):
    van = refdata.resolve(hue, "Phường Hương Vân", BEFORE)
    van2 = refdata.resolve(hue, "Phường Hương Văn", BEFORE)
    assert (van.unit_code, van.former_code) == ("19996", "20008")
    assert (van2.unit_code, van2.former_code) == ("19996", "20011")
    assert hue.unit_name("19996") == "Phường Hương Trà"


def test_huong_van_without_diacritics_is_ambiguous_and_lists_both_codes(hue):
    m = refdata.resolve(hue, "Huong Van", BEFORE)
    assert m.unit_code is None
    assert "tên trùng nhau" in m.error and "20008" in m.error and "20011" in m.error
    # one diacritic written is enough to tell them apart
    assert refdata.resolve(hue, "Huong Văn", BEFORE).former_code == "20011"


def test_every_current_unit_resolves_by_full_name_short_name_and_code(hue):
    for code, name, short in zip(hue.units.unit_code, hue.units.unit_name, hue.units.short_name):
        for text in (name, short, code):
            assert refdata.resolve(hue, text, AFTER).unit_code == code, text


def test_every_former_commune_resolves_before_the_merger_and_is_refused_after(hue):
    current = set(hue.units.unit_name)
    for code, name, unit in zip(hue.former.former_code, hue.former.former_name, hue.former.unit_code):
        m = refdata.resolve(hue, name, BEFORE)
        assert (m.unit_code, m.former_code) == (unit, code), name
        if name not in current:
            assert refdata.resolve(hue, name, AFTER).unit_code is None, name


def test_special_zone_type_of_another_province_resolves():
    # Đà Nẵng has an "Đặc khu" (special zone); its full name must resolve like "Phường …" does.
    dn = refdata.load("Thành phố Đà Nẵng")
    code = dn.units.loc[dn.units.unit_type == "Đặc khu", "unit_code"].item()
    assert refdata.resolve(dn, "Đặc khu Hoàng Sa", AFTER).unit_code == code
    assert refdata.resolve(dn, "Hoàng Sa", AFTER).unit_code == code


# --- the keys themselves --------------------------------------------------------------------------

def test_name_key_folds_spelling_but_keeps_tones():
    assert name_key("Phường Thuận Hoà") == name_key("phường  thuận hòa")
    assert name_key("Thuỷ Xuân") == name_key("Thủy Xuân")
    assert name_key(unicodedata.normalize("NFD", "Thủy Xuân")) == name_key("Thủy Xuân")
    assert name_key("Chân Mây – Lăng Cô") == name_key("Chân Mây-Lăng Cô") == name_key("Chân Mây — Lăng Cô")
    assert name_key("Thuận Hòa") != name_key("Thuận Hóa")
    assert name_key("Hương Vân") != name_key("Hương Văn")


def test_ascii_key_for_headers():
    assert ascii_key(" Khách Nội Địa ") == ascii_key("khach noi dia") == "khach noi dia"
    assert ascii_key("Doanh thu (tỷ đồng)") == "doanh thu (ty dong)"


@pytest.mark.parametrize("text, expected", [
    ("P. Phong Quảng", ("Phường", "Phong Quảng")),
    ("P.Phong Quảng", ("Phường", "Phong Quảng")),
    ("Phuong Phong Quang", ("Phường", "Phong Quang")),
    ("Xã Quảng Công", ("Xã", "Quảng Công")),
    ("TT. Sịa", ("Thị trấn", "Sịa")),
    ("Đặc khu Hoàng Sa", ("Đặc khu", "Hoàng Sa")),
    ("Phong Quảng", (None, "Phong Quảng")),
])
def test_split_type(text, expected):
    assert split_type(text) == expected
