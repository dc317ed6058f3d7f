"""UI strings of the agriculture & fishery page (``agri.*``)."""

STRINGS = {
    "agri.title": {"vi": "Nông nghiệp – Thủy sản – {period}", "en": "Agriculture & fishery – {period}"},
    # rice
    "agri.rice": {"vi": "Lúa năm {years}", "en": "Rice, {years}"},
    "agri.rice.caption": {
        "vi": "{scope} · lúa tính theo năm gieo trồng mà kỳ chạm tới, mọi vụ; thẻ: so với cùng vụ năm {last} (vụ chưa báo cáo năm nay không tính vào năm trước). "
              "Năng suất nhiều đơn vị/vụ = sản lượng × 10 / diện tích (không lấy trung bình các năng suất).",
        "en": "{scope} · rice counts the crop years the period touches, every season; cards: vs the same seasons of {last} (a season not reported this year is left out of last year). "
              "Yield over several units/seasons = production × 10 / area (never a mean of yields)."},
    "agri.rice.none": {"vi": "Không có dữ liệu lúa cho năm {years} trong phạm vi đã chọn.",
                       "en": "No rice data for {years} in the chosen scope."},
    "agri.vs_city": {"vi": "Bình quân toàn thành phố: {value}", "en": "City average: {value}"},
    "agri.season.label": {"vi": "Vụ", "en": "Season"},
    "agri.season.all": {"vi": "Cả năm (mọi vụ)", "en": "Whole year (every season)"},
    "agri.season.all_short": {"vi": "mọi vụ", "en": "all seasons"},
    "agri.season_trend": {"vi": "Sản lượng và năng suất lúa theo vụ", "en": "Rice production and yield by season"},
    "agri.season_trend.note": {
        "vi": "Cột: sản lượng (tấn); nhãn: năng suất (tạ/ha). Vụ Đông Xuân thu hoạch trước ngày sáp nhập 1/7, "
              "các vụ sau thu hoạch sau ngày đó.",
        "en": "Bars: production (tonnes); labels: yield (quintals/ha). The winter–spring crop is harvested before "
              "the 1 July merger date, later seasons after it."},
    "agri.yield": {"vi": "Năng suất lúa theo đơn vị: {season}", "en": "Rice yield by unit: {season}"},
    "agri.yield.note": {
        "vi": "Chấm đặc: năm {year}; chấm rỗng: năm {last}; đường dọc: bình quân toàn thành phố (gia quyền theo diện tích).",
        "en": "Filled dot: {year}; hollow dot: {last}; vertical line: city average (area-weighted)."},
    "agri.ranking": {"vi": "Xếp hạng sản lượng lúa: {season}", "en": "Rice production ranking: {season}"},
    "agri.ranking.note": {"vi": "Nhãn: tỷ trọng trong sản lượng lúa toàn thành phố.",
                          "en": "Labels: share of the city's rice production."},
    "agri.no_rice": {"vi": "không có lúa", "en": "no rice"},
    "agri.no_rice_units": {
        "vi": "Không trồng lúa ({n} đơn vị, chủ yếu là phường nội thị; không xếp hạng, không phải chưa báo cáo): {names}",
        "en": "No rice grown ({n} units, mostly urban wards; not ranked, not a missing report): {names}"},
    "agri.rice.table": {"vi": "Bảng lúa theo đơn vị", "en": "Rice by unit"},
    "agri.col.area": {"vi": "Diện tích gieo cấy", "en": "Area planted"},
    "agri.col.yield": {"vi": "Năng suất", "en": "Yield"},
    "agri.col.production": {"vi": "Sản lượng", "en": "Production"},
    "agri.col.share": {"vi": "Tỷ trọng sản lượng toàn thành phố", "en": "Share of city production"},
    "agri.col.yield_last_year": {"vi": "Năng suất năm trước", "en": "Yield last year"},
    "agri.col.vs_last_year": {"vi": "Năng suất so với năm trước (tạ/ha)", "en": "Yield vs last year (quintals/ha)"},
    "agri.col.vs_city": {"vi": "Năng suất so với bình quân thành phố (tạ/ha)", "en": "Yield vs city average (quintals/ha)"},
    "agri.col.warnings": {"vi": "Cảnh báo số liệu", "en": "Data warnings"},
    "agri.axis.production": {"vi": "Sản lượng (tấn)", "en": "Production (tonnes)"},
    "agri.axis.yield": {"vi": "Năng suất (tạ/ha)", "en": "Yield (quintals/ha)"},
    "agri.city_average": {"vi": "Bình quân TP", "en": "City average"},
    # load warnings
    "agri.warn.title": {"vi": "Cảnh báo số liệu nông nghiệp", "en": "Agriculture data warnings"},
    "agri.warn.box": {
        "vi": "{n} dòng số liệu có sản lượng lệch quá 2 % so với diện tích × năng suất / 10. Số liệu vẫn được tính "
              "như đã báo cáo; cần kiểm tra lại với đơn vị.",
        "en": "{n} rows have a production more than 2 % away from area × yield / 10. They are counted as "
              "reported; check them with the unit."},
    "agri.warn.others": {"vi": "Tệp còn {n} cảnh báo khác ngoài phạm vi và năm đang xem.",
                         "en": "The export has {n} more warnings outside the scope and years shown."},
    "agri.warn.file": {"vi": "Tệp", "en": "File"},
    "agri.warn.line": {"vi": "Dòng", "en": "Line"},
    "agri.warn.year": {"vi": "Năm", "en": "Year"},
    "agri.warn.season": {"vi": "Vụ", "en": "Season"},
    "agri.warn.crop": {"vi": "Cây trồng", "en": "Crop"},
    "agri.warn.production": {"vi": "Sản lượng báo cáo", "en": "Production reported"},
    "agri.warn.expected": {"vi": "Diện tích × năng suất / 10", "en": "Area × yield / 10"},
    "agri.warn.gap": {"vi": "Chênh lệch", "en": "Gap"},
    # fishery
    "agri.fish": {"vi": "Thủy sản – {period}", "en": "Fishery – {period}"},
    "agri.fish.none": {"vi": "Không có dữ liệu thủy sản trong kỳ này cho phạm vi đã chọn.",
                       "en": "No fishery data in this period for the chosen scope."},
    "agri.fish.total": {"vi": "Tổng sản lượng thủy sản", "en": "Total fishery output"},
    "agri.fish.area": {"vi": "Diện tích nuôi trồng", "en": "Aquaculture area"},
    "agri.fish.per_ha": {"vi": "Sản lượng nuôi trồng/ha", "en": "Aquaculture output per ha"},
    "agri.fish.share": {"vi": "Tỷ trọng sản lượng toàn thành phố", "en": "Share of city output"},
    "agri.fish.change": {"vi": "Thay đổi tổng sản lượng so với kỳ so sánh", "en": "Change in total output vs comparison"},
    "agri.fish.area_help": {
        "vi": "Diện tích là bình quân diện tích nuôi các tháng trong kỳ (không cộng dồn các tháng); "
              "sản lượng/ha = sản lượng nuôi trồng trong kỳ / diện tích đó.",
        "en": "Area is the mean of the monthly areas in the period (months are not added up); "
              "output per ha = aquaculture output in the period / that area."},
    "agri.fish.trend": {"vi": "Sản lượng thủy sản theo tháng", "en": "Monthly fishery output"},
    "agri.fish.trend.note": {
        "vi": "Cột: nuôi trồng và khai thác; đường nét đứt: tổng cùng tháng năm trước. Vùng tô: kỳ đang xem.",
        "en": "Bars: aquaculture and capture; dashed line: the total a year earlier. Shaded: the period shown."},
    "agri.fish.last_year_total": {"vi": "Tổng cùng kỳ năm trước", "en": "Total, same month last year"},
    "agri.fish.ranking": {"vi": "Xếp hạng sản lượng thủy sản", "en": "Fishery output ranking"},
    "agri.fish.ranking.note": {"vi": "Nhãn: tỷ trọng trong tổng sản lượng thủy sản toàn thành phố.",
                               "en": "Labels: share of the city's total fishery output."},
    "agri.fish.no_data_units": {"vi": "Không có dữ liệu thủy sản ({n} đơn vị, không xếp hạng): {names}",
                                "en": "No fishery data ({n} units, not ranked): {names}"},
    "agri.fish.table": {"vi": "Bảng thủy sản theo đơn vị", "en": "Fishery by unit"},
    "agri.fish.detail": {"vi": "Chi tiết theo đơn vị và thời gian", "en": "Detail by unit and time"},
    "agri.fish.grain": {"vi": "Chi tiết theo", "en": "Detail by"},
    "agri.fish.month": {"vi": "Tháng", "en": "Month"},
    "agri.fish.year": {"vi": "Năm", "en": "Year"},
    "agri.axis.tonnes": {"vi": "Sản lượng (tấn)", "en": "Output (tonnes)"},
    "agri.download": {"vi": "Tải bảng (CSV)", "en": "Download table (CSV)"},
}
