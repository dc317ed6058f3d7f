"""Strings of the dossier page (Hồ sơ TTHC), including the service index after Decision 766."""

STRINGS = {
    "dossiers.title": {"vi": "Hồ sơ thủ tục hành chính – {period}", "en": "Administrative dossiers – {period}"},
    "dossiers.trend": {"vi": "Diễn biến theo tháng từ tháng 1/2024", "en": "Monthly since January 2024"},
    "dossiers.trend_note": {
        "vi": "Cột: hồ sơ mới theo kênh nộp; đường: tỷ lệ đúng hạn (trục phải). Vạch liền: sáp nhập 01/07/2025; "
              "vạch chấm và số: sự kiện (di chuột để xem); vùng tô: kỳ đang xem.",
        "en": "Bars: new dossiers by channel; line: on-time rate (right axis). Solid line: the merger on "
              "1 July 2025; dotted lines and numbers: events (hover for details); shaded: the period shown."},
    "dossiers.events": {"vi": "Sự kiện", "en": "Events"},
    "dossiers.merger": {"vi": "Sáp nhập 01/07/2025", "en": "Merger 1 Jul 2025"},
    "dossiers.axis_new": {"vi": "Hồ sơ mới", "en": "New dossiers"},
    "dossiers.axis_overdue": {"vi": "Hồ sơ đang quá hạn", "en": "Overdue pending dossiers"},
    "dossiers.types": {"vi": "Phường và xã (toàn thành phố)", "en": "Wards and communes (whole city)"},
    "dossiers.type_phuong": {"vi": "Phường", "en": "Wards"},
    "dossiers.type_xa": {"vi": "Xã", "en": "Communes"},
    "dossiers.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "dossiers.view": {"vi": "Xem chi tiết", "en": "Detail"},
    "dossiers.view_field": {"vi": "Lĩnh vực × đơn vị", "en": "Field × unit"},
    "dossiers.view_backlog": {"vi": "Hồ sơ tồn đọng", "en": "Backlog"},
    "dossiers.view_index": {"vi": "Chỉ số phục vụ (QĐ 766)", "en": "Service index (Decision 766)"},
    "dossiers.view_drill": {"vi": "Hồ sơ đang giải quyết của một đơn vị", "en": "One unit's pending dossiers"},
    "dossiers.view_specialists": {"vi": "Hồ sơ / cán bộ chuyên môn", "en": "Dossiers per specialist"},
    "dossiers.view_due_soon": {"vi": "Sắp đến hạn", "en": "Due soon"},
    "dossiers.unit": {"vi": "Đơn vị", "en": "Unit"},
    "dossiers.field": {"vi": "Lĩnh vực", "en": "Field"},
    "dossiers.field_note": {
        "vi": "Màu: tỷ lệ đúng hạn của hồ sơ đã giải quyết trong kỳ (xanh: đạt mục tiêu); di chuột để xem số hồ sơ. "
              "Ô trống: không có hồ sơ giải quyết (không có dữ liệu).",
        "en": "Colour: on-time rate of the dossiers resolved in the period (green: target met); hover for volumes. "
              "Empty cell: nothing resolved (no data)."},
    "dossiers.backlog_note": {
        "vi": "Hồ sơ chưa giải quyết và đã quá hạn tại ngày {date}, theo số ngày quá hạn. "
              "Đơn vị không có hồ sơ nào trong kỳ để trống (không có dữ liệu).",
        "en": "Dossiers still pending and past due on {date}, by days overdue. "
              "Units without any dossier in the period are left empty (no data)."},
    "dossiers.bucket_1_3": {"vi": "1–3 ngày", "en": "1–3 days"},
    "dossiers.bucket_4_7": {"vi": "4–7 ngày", "en": "4–7 days"},
    "dossiers.bucket_8_30": {"vi": "8–30 ngày", "en": "8–30 days"},
    "dossiers.bucket_30": {"vi": "Trên 30 ngày", "en": "Over 30 days"},
    "dossiers.si_note": {
        "vi": "Đây là ước tính từ tệp xuất hồ sơ, không phải điểm chính thức trên Cổng Dịch vụ công. "
              "Chỉ tính được {computable}/100 điểm; các nhóm còn lại không có dữ liệu trong tệp xuất.",
        "en": "This is an estimate from the dossier export, not the official score on the public service portal. "
              "Only {computable} of 100 points can be computed; the other groups are not in the exports."},
    "dossiers.si_group": {"vi": "Nhóm chỉ số", "en": "Group"},
    "dossiers.si_max": {"vi": "Điểm tối đa", "en": "Maximum"},
    "dossiers.si_how": {"vi": "Cách tính trong bảng này", "en": "How this estimate scores it"},
    "dossiers.si_transparency": {"vi": "Công khai, minh bạch", "en": "Transparency"},
    "dossiers.si_progress": {"vi": "Tiến độ giải quyết", "en": "Processing progress"},
    "dossiers.si_online": {"vi": "Dịch vụ công trực tuyến", "en": "Online services"},
    "dossiers.si_payment": {"vi": "Thanh toán trực tuyến", "en": "Online payment"},
    "dossiers.si_digitization": {"vi": "Số hóa hồ sơ", "en": "Digitisation"},
    "dossiers.si_satisfaction": {"vi": "Mức độ hài lòng", "en": "Satisfaction"},
    "dossiers.si_not_in_exports": {"vi": "không có dữ liệu trong tệp xuất", "en": "not available in the exports"},
    "dossiers.si_how_progress": {
        "vi": "20 × (giải quyết trước hạn + đúng hạn + đang trong hạn) / tổng số hồ sơ tiếp nhận",
        "en": "20 × (resolved early + on time + pending within deadline) / dossiers received"},
    "dossiers.si_how_online": {"vi": "Tỷ lệ hồ sơ trực tuyến, ngưỡng 50 %: min(12; tỷ lệ × 12 / 50 %)",
                               "en": "Online dossier rate, threshold 50%: min(12, rate × 12 / 50%)"},
    "dossiers.si_how_digitization": {"vi": "Tỷ lệ số hóa, ngưỡng 80 %: min(22; tỷ lệ × 22 / 80 %)",
                                     "en": "Digitisation rate, threshold 80%: min(22, rate × 22 / 80%)"},
    "dossiers.si_how_satisfaction": {
        "vi": "Hài lòng về giải quyết hồ sơ = 100 % − (tỷ lệ quá hạn + tỷ lệ đánh giá «Không hài lòng» trong số "
              "hồ sơ được đánh giá), ngưỡng 90 %: min(18; tỷ lệ × 18 / 90 %)",
        "en": "Satisfaction with handling = 100% − (overdue rate + share of rated dossiers rated "
              "\"Không hài lòng\"), threshold 90%: min(18, rate × 18 / 90%)"},
    "dossiers.si_total": {"vi": "Tổng ước tính (/{max})", "en": "Estimated total (/{max})"},
    "dossiers.pending_note": {
        "vi": "{n} hồ sơ đang giải quyết tại ngày {date}, trong đó {overdue} hồ sơ quá hạn. Bấm tiêu đề cột để sắp xếp.",
        "en": "{n} dossiers pending on {date}, {overdue} of them overdue. Click a column header to sort."},
    "dossiers.col_id": {"vi": "Mã hồ sơ", "en": "Dossier"},
    "dossiers.col_procedure": {"vi": "Thủ tục", "en": "Procedure"},
    "dossiers.col_received": {"vi": "Ngày tiếp nhận", "en": "Received"},
    "dossiers.col_due": {"vi": "Hạn xử lý", "en": "Due"},
    "dossiers.col_days": {"vi": "Số ngày quá hạn", "en": "Days overdue"},
    "dossiers.col_status": {"vi": "Tình trạng", "en": "Status"},
    "dossiers.status_overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "dossiers.status_in_time": {"vi": "Trong hạn", "en": "Within deadline"},
}
