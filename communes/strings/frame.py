"""Strings of the shared frame that are not in the base catalogue."""
STRINGS = {
    "app.version": {"vi": "phiên bản dữ liệu {version}", "en": "data version {version}"},
}
