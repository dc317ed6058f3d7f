"""UI strings of the tourism page (``tourism.*``) and of the time-series marks both farm and tourism
charts share (``tourism.chart.*``)."""

STRINGS = {
    "tourism.title": {"vi": "Du lịch – {period}", "en": "Tourism – {period}"},
    "tourism.caption": {"vi": "{scope} · thẻ: so với {compare}", "en": "{scope} · cards: vs {compare}"},
    "tourism.caption2": {"vi": "{scope} · thẻ: so với {compare}; dòng dưới thẻ: so với {other}",
                         "en": "{scope} · cards: vs {compare}; line under each card: vs {other}"},
    "tourism.revenue_per_visitor": {"vi": "Doanh thu bình quân/lượt khách", "en": "Revenue per visitor"},
    "tourism.vs": {"vi": "So với {period}: {change}", "en": "vs {period}: {change}"},
    "tourism.no_base": {"vi": "So với {period}: không có dữ liệu", "en": "vs {period}: no data"},
    "tourism.metric.label": {"vi": "Chỉ tiêu của biểu đồ và xếp hạng", "en": "Indicator for the charts and ranking"},
    "tourism.metric.visitors": {"vi": "Lượt khách", "en": "Visitors"},
    "tourism.metric.revenue_vnd": {"vi": "Doanh thu", "en": "Revenue"},
    "tourism.trend": {"vi": "Diễn biến theo tháng: {metric}", "en": "Monthly trend: {metric}"},
    "tourism.trend.note": {
        "vi": "Đường nét đứt: cùng tháng năm trước. Vùng tô: kỳ đang xem. Tháng không có dữ liệu để trống, không tính là 0.",
        "en": "Dashed line: the same month a year earlier. Shaded: the period shown. Months without data are gaps, not zeros."},
    "tourism.seasonality": {"vi": "Mùa vụ du lịch theo đơn vị: {metric}", "en": "Tourism seasonality by unit: {metric}"},
    "tourism.seasonality.note": {
        "vi": "Màu: so với tháng bình quân của chính đơn vị trong 12 tháng (100 = bình quân), để thấy mùa cao điểm "
              "của cả đơn vị nhỏ. Ô trống: không có dữ liệu.",
        "en": "Colour: against the unit's own average month over the 12 months (100 = average), so small units' "
              "peaks show too. Empty cell: no data."},
    "tourism.ranking": {"vi": "Xếp hạng đơn vị: {metric}", "en": "Units ranked by {metric}"},
    "tourism.ranking.note": {"vi": "Nhãn: tỷ trọng trong tổng của toàn thành phố.",
                             "en": "Labels: share of the whole city's total."},
    "tourism.no_data_units": {"vi": "Không có dữ liệu du lịch ({n} đơn vị, không xếp hạng): {names}",
                              "en": "No tourism data ({n} units, not ranked): {names}"},
    "tourism.no_data_period": {"vi": "Không có dữ liệu du lịch trong kỳ này cho phạm vi đã chọn.",
                               "en": "No tourism data in this period for the chosen scope."},
    "tourism.table": {"vi": "Bảng số liệu theo đơn vị", "en": "Figures by unit"},
    "tourism.col.rank": {"vi": "Hạng", "en": "Rank"},
    "tourism.col.code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "tourism.col.share": {"vi": "Tỷ trọng {metric} toàn thành phố", "en": "Share of city {metric}"},
    "tourism.col.change": {"vi": "Thay đổi {metric} so với kỳ so sánh", "en": "Change in {metric} vs comparison"},
    "tourism.col.month": {"vi": "Tháng", "en": "Month"},
    "tourism.download": {"vi": "Tải bảng (CSV)", "en": "Download table (CSV)"},
    "tourism.download_months": {"vi": "Tải số liệu theo đơn vị và tháng (CSV)",
                                "en": "Download figures by unit and month (CSV)"},
    "tourism.axis.visitors": {"vi": "Lượt khách", "en": "Visitors"},
    "tourism.axis.revenue_vnd": {"vi": "Doanh thu (tỷ đồng)", "en": "Revenue (billion VND)"},
    "tourism.index": {"vi": "Chỉ số mùa vụ", "en": "Season index"},
    # shared by the time-series charts of both pages
    "tourism.chart.this_year": {"vi": "Kỳ này", "en": "This period"},
    "tourism.chart.last_year": {"vi": "Cùng kỳ năm trước", "en": "Same months last year"},
    "tourism.chart.merger": {"vi": "Sáp nhập 1/7/2025", "en": "Merger 1 Jul 2025"},
    "tourism.chart.events": {"vi": "Sự kiện", "en": "Events"},
    "tourism.chart.period": {"vi": "Kỳ đang xem", "en": "Period shown"},
}
