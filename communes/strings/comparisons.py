"""Strings that say what a figure is compared with (``communes.comparisons``)."""
STRINGS = {
    "compare.ytd_rule": {"vi": "từ đầu năm luôn so với cùng kỳ", "en": "year to date is always compared with the same dates a year earlier"},
    "compare.months_note": {
        "vi": "Du lịch, thủy sản so với {months} (cùng số tháng: {n})",
        "en": "Tourism and fishery compared with {months} (the same number of months: {n})"},
    "compare.rice_note": {"vi": "so với cùng vụ năm {years}", "en": "vs the same seasons of {years}"},
    "compare.rice_rule": {
        "vi": "Lúa luôn so với cùng vụ của năm trước, không so giữa các quý, tháng của cùng một năm.",
        "en": "Rice is always compared with the same seasons of the year before, never across quarters or "
              "months of one year."},
}
