"""UI strings of specialists by field (``spec.*``): the profile section, the dossier page's city table and
the phone page."""

STRINGS = {
    "spec.title": {"vi": "Cán bộ chuyên môn theo lĩnh vực", "en": "Specialists by field"},
    "spec.none": {"vi": "không có cán bộ chuyên môn", "en": "no specialist"},
    "spec.no_data": {"vi": "không có dữ liệu", "en": "no data"},
    "spec.col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "spec.col_field": {"vi": "Lĩnh vực", "en": "Field"},
    "spec.col_per_month": {"vi": "Hồ sơ mới / tháng", "en": "New dossiers per month"},
    "spec.col_specialists": {"vi": "Cán bộ chuyên môn", "en": "Specialists"},
    "spec.col_load": {"vi": "Hồ sơ / cán bộ chuyên môn / tháng", "en": "Dossiers per specialist per month"},
    "spec.col_as_of": {"vi": "Số cán bộ tính đến ngày", "en": "Specialists as of"},
    "spec.flagged": {"vi": "{n} lĩnh vực có hồ sơ nhưng không có cán bộ chuyên môn: {fields}.",
                     "en": "{n} fields with dossiers but no specialist: {fields}."},
    "spec.flagged_city": {"vi": "{n} lĩnh vực của {units} đơn vị có hồ sơ nhưng không có cán bộ chuyên môn.",
                          "en": "{n} fields in {units} units have dossiers but no specialist."},
    "spec.none_flagged": {"vi": "Lĩnh vực nào có hồ sơ cũng có cán bộ chuyên môn.",
                          "en": "Every field with dossiers has a specialist."},
    "spec.no_staffing": {"vi": "Chưa có số liệu cán bộ chuyên môn theo lĩnh vực (tệp staffing_fields) cho kỳ này.",
                         "en": "No specialists-by-field figures (staffing_fields export) for this period."},
    "spec.units_without": {"vi": "Chưa có số liệu cán bộ chuyên môn: {units}.",
                           "en": "No specialists figures yet: {units}."},
    "spec.note": {
        "vi": "Hồ sơ / cán bộ chuyên môn / tháng = hồ sơ mới của lĩnh vực tiếp nhận trong kỳ (mọi kênh) ÷ số tháng "
              "của kỳ có dữ liệu ({months}) ÷ số cán bộ chuyên môn của lĩnh vực theo số liệu gần nhất không sau "
              "ngày cuối kỳ. Xếp từ nặng nhất: trước hết các lĩnh vực có hồ sơ mà không có cán bộ chuyên môn.",
        "en": "Dossiers per specialist per month = the field's new dossiers received in the period (every channel) "
              "÷ months of the period with data ({months}) ÷ the field's specialists in the latest figures not "
              "after the period's end. Heaviest first: fields with dossiers and no specialist come first."},
}
