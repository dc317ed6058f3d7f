"""UI strings of the unit profile (``profile.*``) and of peer comparison, shared with the compare page
(``peers.*``: ranks, medians, derived indicators, before/after the merger)."""

STRINGS = {
    # --- peer comparison (communes/peers.py, communes/views/profile.py) ----------------------------
    "peers.rank": {"vi": "hạng {rank}/{total}", "en": "rank {rank}/{total}"},
    "peers.rank_in": {"vi": "hạng {rank}/{total} {group}", "en": "rank {rank}/{total} {group}"},
    "peers.not_ranked": {"vi": "không xếp hạng", "en": "not ranked"},
    "peers.city_note": {"vi": "TP: trung vị {median}, {rank}", "en": "City: median {median}, {rank}"},
    "peers.group_note": {"vi": "Nhóm: trung vị {median}, {rank}", "en": "Group: median {median}, {rank}"},
    "peers.city_median": {"vi": "Trung vị toàn thành phố", "en": "City median"},
    "peers.peer_median": {"vi": "Trung vị nhóm", "en": "Group median"},
    "peers.peer_median_of": {"vi": "Trung vị nhóm {group}", "en": "Median of {group}"},
    "peers.tonnes": {"vi": "tấn", "en": "tonnes"},
    "peers.quintal_ha": {"vi": "tạ/ha", "en": "quintals/ha"},
    "peers.population_n": {"vi": "{n} người", "en": "{n} inhabitants"},
    "peers.density_n": {"vi": "{n} người/km²", "en": "{n} per km²"},
    "peers.formed_from": {"vi": "Hình thành từ {n} xã, phường cũ: {names}",
                          "en": "Formed from {n} former communes and wards: {names}"},
    "peers.no_former": {"vi": "Không có xã, phường cũ trong danh mục sắp xếp",
                        "en": "No former commune in the official lineage"},
    "peers.split": {"vi": "một phần", "en": "in part"},
    "peers.ind.new_dossiers": {"vi": "Hồ sơ mới tiếp nhận", "en": "New dossiers"},
    "peers.ind.new_per_1000": {"vi": "Hồ sơ mới / 1.000 dân", "en": "New dossiers per 1,000 inhabitants"},
    "peers.ind.new_per_km2": {"vi": "Hồ sơ mới / km²", "en": "New dossiers per km²"},
    "peers.ind.visitors_per_1000": {"vi": "Lượt khách / 1.000 dân", "en": "Visitors per 1,000 inhabitants"},
    "peers.ind.visitors_per_km2": {"vi": "Lượt khách / km²", "en": "Visitors per km²"},
    "peers.ind.dossiers_per_official_month": {"vi": "Hồ sơ / cán bộ / tháng",
                                              "en": "Dossiers per official per month"},
    "peers.ind.staff_fill_rate": {"vi": "Tỷ lệ biên chế có mặt", "en": "Posts filled"},
    "peers.ind.concurrent_posts": {"vi": "Vị trí kiêm nhiệm", "en": "Concurrent posts"},
    "peers.ind.population": {"vi": "Dân số", "en": "Population"},
    "peers.ind.area_km2": {"vi": "Diện tích (km²)", "en": "Area (km²)"},
    "peers.ind.density": {"vi": "Mật độ dân số (người/km²)", "en": "Density (inhabitants/km²)"},
    "peers.ind.staff": {"vi": "Số cán bộ, công chức", "en": "Officials"},
    "peers.merger": {"vi": "Sáp nhập 01/7/2025", "en": "Merger 1 Jul 2025"},
    "peers.events": {"vi": "Sự kiện", "en": "Events"},
    "peers.phase_before": {"vi": "Trước: 12 tháng trước sáp nhập ({span})",
                           "en": "Before: the 12 months before the merger ({span})"},
    "peers.phase_after": {"vi": "Sau: các tháng gần nhất kể từ sáp nhập, tối đa 12 ({span})",
                          "en": "After: the latest months since the merger, at most 12 ({span})"},
    "peers.phase_after_ly": {"vi": "Cùng kỳ: các tháng của cột Sau một năm trước ({span})",
                             "en": "Year earlier: the months of After a year before ({span})"},
    "peers.phase_disjoint": {"vi": "Không tháng nào nằm ở cả hai cột được so sánh (Sau với Trước, Sau với Cùng kỳ)",
                             "en": "No month stands in two compared columns (After with Before, After with Year earlier)"},
    "peers.col_before": {"vi": "Trước", "en": "Before"},
    "peers.col_after": {"vi": "Sau", "en": "After"},
    "peers.col_after_ly": {"vi": "Cùng kỳ", "en": "Year earlier"},
    "peers.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "peers.per_month": {"vi": "/ tháng", "en": "per month"},
    "peers.points": {"vi": "điểm %", "en": "pp"},
    "peers.percent": {"vi": "%", "en": "%"},
    "peers.change": {"vi": "Sau − trước ({unit})", "en": "After − before ({unit})"},
    "peers.change_ly": {"vi": "Sau − cùng kỳ ({unit})", "en": "After − year earlier ({unit})"},
    "peers.former": {"vi": "Xã, phường cũ", "en": "Former commune"},
    "peers.short.on_time_rate": {"vi": "Đúng hạn", "en": "On time"},
    "peers.short.online_rate": {"vi": "Trực tuyến", "en": "Online"},
    "peers.short.digitized_rate": {"vi": "Số hóa", "en": "Digitised"},
    "peers.short.overdue_rate": {"vi": "Quá hạn", "en": "Overdue"},
    "peers.in_time": {"vi": "trong hạn", "en": "within deadline"},
    "peers.former_total": {"vi": "Cộng: {unit}", "en": "Total: {unit}"},
    "peers.former_unnamed": {"vi": "Ghi theo tên đơn vị mới", "en": "Filed under the new unit's name"},
    "peers.new_dossiers_pm": {"vi": "Hồ sơ mới / tháng", "en": "New dossiers per month"},
    "peers.fishery_tonnes": {"vi": "Thủy sản (tấn)", "en": "Fishery (tonnes)"},
    "peers.before_line": {"vi": "Cả đơn vị trước sáp nhập", "en": "Whole unit before"},
    "peers.after_line": {"vi": "Từ khi sáp nhập", "en": "Since the merger"},
    "peers.col_id": {"vi": "Mã hồ sơ", "en": "Dossier"},
    "peers.col_field": {"vi": "Lĩnh vực", "en": "Field"},
    "peers.col_due": {"vi": "Hạn xử lý", "en": "Due"},
    "peers.col_days": {"vi": "Số ngày quá hạn", "en": "Days overdue"},
    "peers.staff_of_posts": {"vi": "{staff} cán bộ / {posts} biên chế", "en": "{staff} officials / {posts} posts"},
    # --- the profile page --------------------------------------------------------------------------
    "profile.pick": {"vi": "Đơn vị", "en": "Unit"},
    "profile.peers": {"vi": "So sánh với nhóm", "en": "Compare with group"},
    "profile.peers_group": {"vi": "Nhóm địa bàn (đô thị, ven biển, …)", "en": "Geographic group (urban, coastal, …)"},
    "profile.peers_type": {"vi": "Cùng loại (phường / xã)", "en": "Same type (ward / commune)"},
    "profile.successor": {"vi": "«{old}» là xã, phường cũ; nay thuộc {unit}.",
                          "en": "«{old}» is a former commune; it is now part of {unit}."},
    "profile.unknown_unit": {"vi": "Không tìm thấy đơn vị «{text}»: {reason}. Hãy chọn trong danh sách.",
                             "en": "No unit «{text}»: {reason}. Choose one from the list."},
    "profile.vs_note": {"vi": "so sánh với trung vị toàn thành phố và nhóm {group} ({n} đơn vị)",
                        "en": "compared with the city median and the {group} group ({n} units)"},
    "profile.compare_link": {"vi": "So sánh với đơn vị tương đồng", "en": "Compare with similar units"},
    "profile.delta_help": {
        "vi": "Mũi tên: chênh lệch so với trung vị nhóm. Dòng dưới: trung vị và thứ hạng trong toàn thành phố "
              "và trong nhóm (hạng 1 = tốt nhất; khối lượng: lớn nhất). Đơn vị không có dữ liệu không được xếp hạng.",
        "en": "Arrow: difference from the group median. Line below: median and rank in the city and in the group "
              "(rank 1 = best; volumes: largest). Units without data are not ranked."},
    "profile.domain_dossiers": {"vi": "Thủ tục hành chính", "en": "Administrative procedures"},
    "profile.domain_tourism": {"vi": "Du lịch", "en": "Tourism"},
    "profile.domain_agriculture": {"vi": "Lúa", "en": "Rice"},
    "profile.domain_fishery": {"vi": "Thủy sản", "en": "Fishery"},
    "profile.domain_staffing": {"vi": "Nhân lực", "en": "Staff"},
    "profile.trend": {"vi": "Diễn biến từ tháng 1/2024", "en": "Trend since January 2024"},
    "profile.layout": {"vi": "Bố cục", "en": "Layout"},
    "profile.layout_phone": {"vi": "Điện thoại", "en": "Phone"},
    "profile.layout_full": {"vi": "Đầy đủ", "en": "Full"},
    "profile.section": {"vi": "Xem phần", "en": "Show"},
    "profile.sec_trend": {"vi": "Diễn biến", "en": "Trend"},
    "profile.sec_backlog": {"vi": "Hồ sơ quá hạn", "en": "Overdue"},
    "profile.sec_visits": {"vi": "Kết luận kiểm tra", "en": "Site visits"},
    "profile.sec_staffing": {"vi": "Nhân lực", "en": "Staff"},
    "profile.sec_merger": {"vi": "Sáp nhập", "en": "Merger"},
    "profile.sec_sectors": {"vi": "Lĩnh vực", "en": "Sectors"},
    "profile.phone_new": {"vi": "Hồ sơ mới tiếp nhận mỗi tháng", "en": "New dossiers each month"},
    "profile.phone_trend_note": {
        "vi": "Trước 01/7/2025 là tổng các xã, phường cũ. Vùng tô: kỳ đang xem. Biểu đồ tương tác: bố cục «Đầy đủ».",
        "en": "Before 1 July 2025: the former communes added up. Shaded: the period shown. Interactive charts: "
              "the «Full» layout."},
    "profile.phone_staff_note": {
        "vi": "Hồ sơ / cán bộ / tháng = hồ sơ mới tiếp nhận trong kỳ ÷ số tháng ÷ số cán bộ, công chức hiện có "
              "(số liệu nhân lực gần nhất trước cuối kỳ). So sánh với từng đơn vị cùng nhóm: bố cục «Đầy đủ».",
        "en": "Dossiers per official per month = new dossiers in the period ÷ months ÷ officials in post "
              "(latest staffing figures before the period ends). Each unit of the group: the «Full» layout."},
    "profile.phone_former_note": {
        "vi": "Dòng «Cộng» là cả đơn vị, tính từ tổng số đếm (bằng tổng các dòng trên).",
        "en": "The «Total» row is the whole unit, from the summed counts (the rows above add up to it)."},
    "profile.trend_metric": {"vi": "Chỉ tiêu của đường", "en": "Line shows"},
    "profile.trend_note": {
        "vi": "Cột: hồ sơ mới của đơn vị mỗi tháng. Đường: chỉ tiêu của đơn vị, trung vị nhóm và trung vị toàn "
              "thành phố. Trước 01/7/2025 là tổng các xã, phường cũ. Vùng tô: kỳ đang xem. Tam giác: sự kiện.",
        "en": "Bars: the unit's new dossiers each month. Lines: the unit, its group's median and the city's median. "
              "Before 1 July 2025: the former communes added up. Shaded: the period shown. Triangles: events."},
    "profile.merger": {"vi": "Trước và sau sáp nhập", "en": "Before and after the merger"},
    "profile.merger_note": {
        "vi": "Trước sáp nhập: cộng các xã, phường cũ theo danh mục sắp xếp chính thức. Tỷ lệ tính lại từ số đếm "
              "của cả giai đoạn, không lấy trung bình. Số lượng tính bình quân tháng vì các giai đoạn dài ngắn khác "
              "nhau; thay đổi của tỷ lệ tính bằng điểm %, của số lượng bằng %.",
        "en": "Before the merger: the former communes added up through the official lineage. Rates are recomputed "
              "from the whole phase's counts, never averaged. Volumes are per month, as the phases differ in length; "
              "changes of rates are in points, of volumes in %."},
    "profile.former_title": {"vi": "Các xã, phường cũ ({n}) trong 12 tháng trước sáp nhập",
                             "en": "The former communes ({n}) in the 12 months before the merger"},
    "profile.former_note": {
        "vi": "Dòng «Cộng» là cả đơn vị, tính từ tổng số đếm (bằng tổng các dòng trên). Hình: tỷ lệ đúng hạn "
              "từng xã, phường cũ so với cả đơn vị trước và sau sáp nhập.",
        "en": "The «Total» row is the whole unit, from the summed counts (the rows above add up to it). Chart: "
              "each former commune's on-time rate against the whole unit before and since the merger."},
    "profile.backlog": {"vi": "Hồ sơ tồn đọng", "en": "Dossier backlog"},
    "profile.backlog_counts": {"vi": "**{pending}** hồ sơ đang giải quyết tại {date}, trong đó **{overdue}** quá hạn "
                                     "(quá hạn lâu nhất xếp trước).",
                               "en": "**{pending}** dossiers pending at {date}, **{overdue}** of them overdue "
                                     "(longest overdue first)."},
    "profile.backlog_more": {"vi": "… và {n} hồ sơ quá hạn khác (xem tệp tải về).",
                             "en": "… and {n} more overdue dossiers (see the download)."},
    "profile.backlog_download": {"vi": "Tải danh sách hồ sơ đang giải quyết (CSV)",
                                 "en": "Download the pending dossiers (CSV)"},
    "profile.chart_note_tourism": {
        "vi": "Lượt khách theo tháng từ 1/2024; trước 01/7/2025 là tổng các xã, phường cũ.",
        "en": "Visitors by month since January 2024; before 1 July 2025 the former communes added up."},
    "profile.chart_note_agriculture": {
        "vi": "Sản lượng lúa theo năm và vụ. Năng suất cả năm = sản lượng × 10 / diện tích của các vụ cộng lại.",
        "en": "Rice production by year and season. The year's yield = production × 10 / area over the seasons."},
    "profile.chart_note_fishery": {
        "vi": "Sản lượng thủy sản theo tháng từ 1/2024; trước 01/7/2025 là tổng các xã, phường cũ.",
        "en": "Fishery output by month since January 2024; before 1 July 2025 the former communes added up."},
    "profile.staffing": {"vi": "Nhân lực và khối lượng công việc", "en": "Staff and workload"},
    "profile.staff_line": {"vi": "{staff} cán bộ, công chức / {posts} biên chế được giao (số liệu ngày {date}).",
                           "en": "{staff} officials for {posts} approved posts (as of {date})."},
    "profile.no_staff": {"vi": "Không có dữ liệu nhân lực của đơn vị cho kỳ này.",
                         "en": "No staffing data for this unit in this period."},
    "profile.staff_note": {
        "vi": "Hồ sơ / cán bộ / tháng = hồ sơ mới tiếp nhận trong kỳ ÷ số tháng ÷ số cán bộ, công chức hiện có "
              "(số liệu nhân lực gần nhất trước cuối kỳ). Hình: các đơn vị cùng nhóm.",
        "en": "Dossiers per official per month = new dossiers in the period ÷ months ÷ officials in post "
              "(latest staffing figures before the period ends). Chart: the units of the group."},
}
