""""Sắp đến hạn" (due soon) strings: the overview, the dossier page, the profile (``communes.due_soon``)."""
STRINGS = {
    "due_soon": {"vi": "Sắp đến hạn", "en": "Due soon"},
    "due_soon.count": {"vi": "{n} hồ sơ", "en": "{n} dossiers"},
    "due_soon.rule": {
        "vi": "Hồ sơ chưa giải quyết, chưa quá hạn, có hạn trả đến hết ngày {until} ({days} ngày làm việc sau ngày "
              "dữ liệu {as_of}; không tính thứ Bảy, Chủ nhật và ngày lễ, Tết).",
        "en": "Dossiers pending and not yet overdue, due by the end of {until} ({days} working days after the data "
              "date {as_of}; weekends and public holidays, Tết included, do not count)."},
    "due_soon.line": {
        "vi": "**Sắp đến hạn**: {n} hồ sơ · **quá hạn**: {overdue} hồ sơ (ngày {as_of}; hạn đến {until})",
        "en": "**Due soon**: {n} dossiers · **overdue**: {overdue} dossiers ({as_of}; due by {until})"},
    "due_soon.card_line": {"vi": "Sắp đến hạn: {n} hồ sơ (ngày {as_of})", "en": "Due soon: {n} dossiers ({as_of})"},
    "due_soon.most": {"vi": "Nhiều nhất: {units}", "en": "Most: {units}"},
    "due_soon.none": {"vi": "Không có hồ sơ sắp đến hạn.", "en": "No dossier is due soon."},
    "due_soon.list_link": {"vi": "danh sách", "en": "list"},
    "due_soon.col_days_left": {"vi": "Ngày làm việc còn lại", "en": "Working days left"},
    "due_soon.per_unit": {"vi": "Theo đơn vị", "en": "By unit"},
}
