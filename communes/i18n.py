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

import importlib
import pkgutil

LANGS = ("vi", "en")

CATALOG: dict[str, dict[str, str]] = {
    # --- the frame ---------------------------------------------------------------------------
    "app.title": {"vi": "Bảng điều hành xã, phường – Thành phố Huế",
                  "en": "Commune and ward dashboard – Huế City"},
    "app.sample_banner": {
        "vi": "Dữ liệu mẫu: các con số là minh họa, không phải số liệu chính thức. "
              "Một số số liệu được tái hiện từ tin đã đăng trên báo.",
        "en": "Sample data: the figures are illustrative, not official statistics. "
              "Some of them reproduce figures published in the press."},
    "app.updated_to": {"vi": "Dữ liệu cập nhật đến {date}", "en": "Data up to {date}"},
    "updated_to": {"vi": "Cập nhật đến {date}", "en": "Updated to {date}"},
    "lang.label": {"vi": "Ngôn ngữ", "en": "Language"},
    "lang.vi": {"vi": "Tiếng Việt", "en": "Vietnamese"},
    "lang.en": {"vi": "Tiếng Anh", "en": "English"},
    "lang.switch": {"vi": "English", "en": "Tiếng Việt"},
    "copy_link": {"vi": "Sao chép liên kết", "en": "Copy link"},
    "link_copied": {"vi": "Đã sao chép liên kết", "en": "Link copied"},
    # --- pages (keys are the url_path of each st.Page) ----------------------------------------
    "page.overview": {"vi": "Tổng quan", "en": "Overview"},
    "page.dossiers": {"vi": "Hồ sơ TTHC", "en": "Administrative dossiers"},
    "page.tourism": {"vi": "Du lịch", "en": "Tourism"},
    "page.agriculture": {"vi": "Nông nghiệp – Thủy sản", "en": "Agriculture & fishery"},
    "page.profile": {"vi": "Hồ sơ đơn vị", "en": "Unit profile"},
    "page.compare": {"vi": "So sánh", "en": "Compare"},
    "page.briefing": {"vi": "Trình chiếu", "en": "Briefing"},
    "page.data": {"vi": "Dữ liệu", "en": "Data"},
    # --- period controls (kinds and codes of communes.periods / communes.ui) ------------------
    "period.label": {"vi": "Kỳ báo cáo", "en": "Reporting period"},
    "period.pick": {"vi": "Kỳ", "en": "Period"},
    "period.month": {"vi": "Tháng", "en": "Month"},
    "period.quarter": {"vi": "Quý", "en": "Quarter"},
    "period.year": {"vi": "Năm", "en": "Year"},
    "period.ytd": {"vi": "Từ đầu năm", "en": "Year to date"},
    "period.range": {"vi": "Tùy chọn", "en": "Custom"},
    "period.from": {"vi": "Từ ngày", "en": "From"},
    "period.to": {"vi": "Đến ngày", "en": "To"},
    "compare.label": {"vi": "So sánh với", "en": "Compare with"},
    "compare.prev": {"vi": "Kỳ trước", "en": "Previous period"},
    "compare.yoy": {"vi": "Cùng kỳ năm trước", "en": "Same period last year"},
    "compare.vs": {"vi": "so với {period}", "en": "vs {period}"},
    # --- scopes (codes of communes.groups.scope_units) ----------------------------------------
    "scope.label": {"vi": "Phạm vi", "en": "Scope"},
    "scope.all": {"vi": "Tất cả đơn vị", "en": "All units"},
    "scope.phuong": {"vi": "Chỉ phường", "en": "Wards only"},
    "scope.xa": {"vi": "Chỉ xã", "en": "Communes only"},
    "scope.peers": {"vi": "Nhóm tương đồng", "en": "Peer group"},
    "scope.group": {"vi": "Nhóm: {name}", "en": "Group: {name}"},
    # --- units --------------------------------------------------------------------------------
    "unit.phuong": {"vi": "phường", "en": "ward"},
    "unit.xa": {"vi": "xã", "en": "commune"},
    "unit.unit": {"vi": "đơn vị", "en": "unit"},
    "unit.units": {"vi": "đơn vị", "en": "units"},
    "unit.count": {"vi": "{n} đơn vị", "en": "{n} units"},
    # --- statuses against a target ------------------------------------------------------------
    "status.met": {"vi": "Đạt", "en": "Met"},
    "status.near": {"vi": "Gần đạt", "en": "Nearly met"},
    "status.not_met": {"vi": "Chưa đạt", "en": "Not met"},
    "no_data": {"vi": "Không có dữ liệu", "en": "No data"},
    "attention": {"vi": "Cần chú ý", "en": "Needs attention"},
    "rank": {"vi": "Xếp hạng", "en": "Rank"},
    "rank.of": {"vi": "Hạng {rank}/{total}", "en": "Rank {rank} of {total}"},
    # --- indicators: every name of the data contract (communes.kpi.KEYS) ----------------------
    "ind.new_online": {"vi": "Hồ sơ mới trực tuyến", "en": "New dossiers online"},
    "ind.new_direct": {"vi": "Hồ sơ mới trực tiếp", "en": "New dossiers in person"},
    "ind.new_postal": {"vi": "Hồ sơ mới qua bưu chính", "en": "New dossiers by post"},
    "ind.carried_over": {"vi": "Kỳ trước chuyển sang", "en": "Carried over"},
    "ind.received": {"vi": "Tổng số hồ sơ tiếp nhận", "en": "Dossiers received"},
    "ind.resolved_early": {"vi": "Giải quyết trước hạn", "en": "Resolved early"},
    "ind.resolved_on_time": {"vi": "Giải quyết đúng hạn", "en": "Resolved on time"},
    "ind.resolved_late": {"vi": "Giải quyết quá hạn", "en": "Resolved late"},
    "ind.resolved": {"vi": "Đã giải quyết", "en": "Resolved"},
    "ind.pending_in_time": {"vi": "Đang giải quyết trong hạn", "en": "Pending, within deadline"},
    "ind.pending_overdue": {"vi": "Đang giải quyết quá hạn", "en": "Pending, overdue"},
    "ind.pending": {"vi": "Đang giải quyết", "en": "Pending"},
    "ind.on_time_rate": {"vi": "Tỷ lệ đúng hạn", "en": "On-time rate"},
    "ind.online_rate": {"vi": "Tỷ lệ trực tuyến", "en": "Online rate"},
    "ind.digitized_rate": {"vi": "Tỷ lệ số hóa", "en": "Digitisation rate"},
    "ind.overdue_rate": {"vi": "Tỷ lệ quá hạn", "en": "Overdue rate"},
    "ind.satisfaction_rate": {"vi": "Tỷ lệ hài lòng", "en": "Satisfaction rate"},
    "ind.visitors_domestic": {"vi": "Lượt khách nội địa", "en": "Domestic visitors"},
    "ind.visitors_international": {"vi": "Lượt khách quốc tế", "en": "International visitors"},
    "ind.visitors": {"vi": "Tổng lượt khách", "en": "Total visitors"},
    "ind.overnight_guests": {"vi": "Lượt khách lưu trú", "en": "Overnight guests"},
    "ind.revenue_vnd": {"vi": "Doanh thu du lịch", "en": "Tourism revenue"},
    "ind.rice_area_ha": {"vi": "Diện tích gieo cấy lúa", "en": "Rice area planted"},
    "ind.rice_production_tonnes": {"vi": "Sản lượng lúa", "en": "Rice production"},
    "ind.rice_yield_quintal_per_ha": {"vi": "Năng suất lúa", "en": "Rice yield"},
    "ind.aquaculture_tonnes": {"vi": "Sản lượng nuôi trồng thủy sản", "en": "Aquaculture output"},
    "ind.capture_tonnes": {"vi": "Sản lượng khai thác thủy sản", "en": "Capture fishery output"},
    # --- shared frame and overview -----------------------------------------------------------
    "app.sample_tag": {"vi": "DỮ LIỆU MẪU", "en": "SAMPLE DATA"},
    "app.no_valid_data": {"vi": "Chưa có dữ liệu hợp lệ để hiển thị.", "en": "No valid data to show yet."},
    "app.building": {"vi": "Đang nạp dữ liệu mới; trang đang hiển thị phiên bản trước, tải lại sau ít giây để xem số liệu mới.",
                     "en": "New data is being loaded; this page shows the previous version. Reload in a few seconds "
                           "for the new figures."},
    "app.load_failed": {"vi": "Tệp dữ liệu mới có {n} lỗi nên chưa được nạp; đang hiển thị phiên bản trước",
                        "en": "The new data files have {n} errors and were not loaded; showing the previous version"},
    "overview.title": {"vi": "Tổng quan – {period}", "en": "Overview – {period}"},
    "overview.units": {"vi": "Các đơn vị", "en": "Units"},
    "overview.no_data_note": {
        "vi": "Ô trống = không có dữ liệu (không phải 0). Tỷ lệ tính lại từ số đếm, không lấy trung bình các tỷ lệ.",
        "en": "Empty cell = no data (not zero). Rates are recomputed from counts, never averaged."},
    "col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "col.type": {"vi": "Loại", "en": "Type"},

}


def _merge_topic_catalogues() -> None:
    """Each page's strings live in ``communes/strings/<topic>.py`` as ``STRINGS``; one catalogue in the end."""
    from communes import strings

    for mod in pkgutil.iter_modules(strings.__path__):
        part = importlib.import_module(f"communes.strings.{mod.name}").STRINGS
        clash = set(part) & set(CATALOG)
        if clash:
            raise KeyError(f"communes/strings/{mod.name}.py redefines {sorted(clash)}")
        CATALOG.update(part)


_merge_topic_catalogues()


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
