"""Strings of the shared frame that are not in the base catalogue."""
STRINGS = {
    "app.tab_title": {"vi": "Bảng điều hành xã, phường – Huế", "en": "Commune and ward dashboard – Huế"},
    "app.version": {"vi": "phiên bản dữ liệu {version}", "en": "data version {version}"},
}
