"""The UI string catalogue: complete, normalised, and consistent across languages."""
import doctest
import string
import unicodedata

import pytest

from communes import contract, i18n, kpi
from communes.i18n import CATALOG, LANGS, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_docstring_examples_hold():
    assert doctest.testmod(i18n).failed == 0


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_entry_is_complete_and_normalised(key):
    entry = CATALOG[key]
    assert set(entry) == set(LANGS), key
    for lang in LANGS:
        text = entry[lang]
        assert isinstance(text, str) and text.strip() == text and text, (key, lang)
        assert unicodedata.is_normalized("NFC", text), (key, lang)
    assert _fields(entry["vi"]) == _fields(entry["en"]), key


def test_every_contract_indicator_has_a_name():
    indicators = [k for keys in kpi.KEYS.values() for k in keys]
    assert [k for k in indicators if f"ind.{k}" not in CATALOG] == []


def test_every_dataset_of_the_contract_has_a_name():
    # The data page, the upload and the audit log name each dataset; a new export needs its name too.
    assert [d for d in contract.DATASETS if f"data.ds.{d}" not in CATALOG] == []


def test_the_dashboard_strings_are_seeded():
    assert t("app.title") == "Bảng điều hành xã, phường – Thành phố Huế"
    assert t("page.agriculture") == "Nông nghiệp – Thủy sản"
    assert t("page.agriculture", "en") == "Agriculture & fishery"
    assert t("compare.yoy") == "Cùng kỳ năm trước"
    assert t("scope.peers") == "Nhóm tương đồng"
    assert t("ind.carried_over") == "Kỳ trước chuyển sang"
    assert t("ind.pending_in_time") == "Đang giải quyết trong hạn"
    assert [t(f"status.{s}") for s in ("met", "near", "not_met")] == ["Đạt", "Gần đạt", "Chưa đạt"]
    assert t("app.sample_banner").startswith("Dữ liệu mẫu: các con số là minh họa, không phải số liệu chính thức")


def test_t_formats_placeholders():
    assert t("updated_to", date="30/09/2025") == "Cập nhật đến 30/09/2025"
    assert t("rank.of", "en", rank=3, total=40) == "Rank 3 of 40"
    assert t("scope.group", name="Ven biển") == "Nhóm: Ven biển"


def test_t_missing_placeholder_value_fails():
    with pytest.raises(KeyError, match="date"):
        t("updated_to")


def test_missing_key_raises_with_its_name():
    with pytest.raises(KeyError, match="page.nowhere"):
        t("page.nowhere")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="fr"):
        t("app.title", "fr")


def test_catalogue_files_refuse_a_key_twice_or_a_missing_language(tmp_path):
    (tmp_path / "a.toml").write_text('["x.one"]\nvi = "Một"\nen = "One"\n', encoding="utf-8")
    assert i18n.load_catalogue(tmp_path) == {"x.one": {"vi": "Một", "en": "One"}}
    (tmp_path / "b.toml").write_text('["x.one"]\nvi = "Một nữa"\nen = "One more"\n', encoding="utf-8")
    with pytest.raises(KeyError, match=r"b\.toml redefines \['x\.one'\]"):
        i18n.load_catalogue(tmp_path)
    (tmp_path / "b.toml").write_text('["x.two"]\nvi = "Hai"\n', encoding="utf-8")
    with pytest.raises(KeyError, match=r"b\.toml: \['x\.two'\] must have exactly the languages"):
        i18n.load_catalogue(tmp_path)
