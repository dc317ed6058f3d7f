"""UI strings of the compare page (``cmp.*``; ``compare.*`` is the frame's comparison-period control)."""

STRINGS = {
    "cmp.title": {"vi": "So sánh đơn vị – {period}", "en": "Compare units – {period}"},
    "cmp.pick": {"vi": "Đơn vị so sánh (tối đa {max})", "en": "Units to compare (at most {max})"},
    "cmp.placeholder": {"vi": "Chọn đơn vị…", "en": "Choose units…"},
    "cmp.choose": {"vi": "Chọn từ {min} đến {max} đơn vị để so sánh.", "en": "Choose {min} to {max} units to compare."},
    "cmp.opened": {"vi": "Mở sẵn: {n} đơn vị cao nhất và {n} đơn vị thấp nhất của phạm vi về {metric} trong kỳ "
                         "(tốt nhất trước). Chọn đơn vị khác ở trên; liên kết giữ lựa chọn.",
                   "en": "Opened on the scope's {n} highest and {n} lowest units on {metric} in the period (best "
                         "first). Choose others above; the link keeps the choice."},
    "cmp.unknown": {"vi": "Không nhận ra đơn vị trong liên kết: {names}", "en": "Units in the link not recognised: {names}"},
    "cmp.metric": {"vi": "Chỉ tiêu của biểu đồ", "en": "Indicator for the charts"},
    "cmp.kpis": {"vi": "Chỉ tiêu của kỳ", "en": "Indicators of the period"},
    "cmp.kpis_note": {
        "vi": "★: tốt nhất trong các đơn vị đang so sánh (chỉ với chỉ tiêu có chiều tốt/xấu). «không có dữ liệu» "
              "không phải là 0. Cột cuối: trung vị của toàn bộ đơn vị có dữ liệu.",
        "en": "★: best of the units compared (only indicators with a good direction). «no data» is not zero. "
              "Last column: the median of every unit with data."},
    "cmp.city_median": {"vi": "Trung vị TP", "en": "City median"},
    "cmp.download": {"vi": "Tải bảng (CSV)", "en": "Download the table (CSV)"},
    "cmp.trend": {"vi": "Diễn biến theo tháng: {metric}", "en": "Monthly trend: {metric}"},
    "cmp.trend_note": {
        "vi": "Mỗi ô một đơn vị, cùng thang đo. Đường chấm: trung vị toàn thành phố. Vạch đứng: sáp nhập 01/7/2025; "
              "trước đó là tổng các xã, phường cũ. Tháng không có dữ liệu để trống.",
        "en": "One panel per unit, same scale. Dotted: the city median. Vertical line: the merger on 1 July 2025; "
              "before it, the former communes added up. Months without data are gaps."},
    "cmp.normalised": {"vi": "Quy đổi theo dân số, diện tích và cán bộ", "en": "Per inhabitant, per km² and per official"},
    "cmp.normalised_note": {
        "vi": "Theo 1.000 dân và theo km²: khối lượng của kỳ chia cho dân số (tệp units) hoặc diện tích. "
              "Hồ sơ / cán bộ / tháng: hồ sơ mới ÷ số tháng ÷ cán bộ, công chức hiện có. Dòng thiếu dữ liệu được bỏ.",
        "en": "Per 1,000 inhabitants and per km²: the period's volume divided by population (units file) or area. "
              "Dossiers per official per month: new dossiers ÷ months ÷ officials in post. Rows without data left out."},
    "cmp.merger": {"vi": "Thay đổi qua sáp nhập", "en": "Change across the merger"},
    "cmp.merger_note": {
        "vi": "Hình: {metric} 12 tháng trước sáp nhập (vòng tròn rỗng) và các tháng gần nhất kể từ sáp nhập, tối đa 12 (chấm đặc). Trước sáp "
              "nhập: cộng các xã, phường cũ; tỷ lệ tính lại từ số đếm.",
        "en": "Chart: {metric} in the 12 months before the merger (open circle) and the latest months since, at most 12 (filled). Before the "
              "merger: the former communes added up; rates recomputed from counts."},
    "cmp.before_of": {"vi": "{name} – trước", "en": "{name} – before"},
    "cmp.after_of": {"vi": "{name} – sau", "en": "{name} – after"},
    "cmp.change_of": {"vi": "{name} – thay đổi", "en": "{name} – change"},
}
