"""Tổng quan: the city's headline indicators for a period and every unit in one table."""
import pandas as pd
import streamlit as st

from communes import fmt, ui

f: ui.Frame = st.session_state["frame"]

# data
now = ui.kpis(f.period, f.units)
before = ui.kpis(f.compare, f.units)
table = ui.data("overview/unit_table", start=f.period.start, end=f.period.end, units=f.units)

# layout
st.title(f"Tổng quan – {f.period.label()}")
st.caption(f"{f.ref.province} · so sánh với {f.compare.label()}")

CARDS = [
    ("dossiers", "on_time_rate", "Tỷ lệ đúng hạn", "rate"),
    ("dossiers", "online_rate", "Tỷ lệ trực tuyến", "rate"),
    ("dossiers", "digitized_rate", "Tỷ lệ số hóa", "rate"),
    ("dossiers", "pending_overdue", "Hồ sơ đang quá hạn", "count"),
    ("tourism", "visitors", "Lượt khách du lịch", "count"),
    ("tourism", "revenue_vnd", "Doanh thu du lịch", "money"),
    ("agriculture", "rice_production_tonnes", "Sản lượng lúa (tấn)", "count"),
    ("fishery", "aquaculture_tonnes", "Sản lượng nuôi trồng (tấn)", "count"),
]


def show(value, kind):
    if kind == "rate":
        return fmt.percent(value)
    if kind == "money":
        return fmt.money(value)
    return fmt.number(value)


def delta(a, b, kind):
    if a is None or b is None:
        return None
    if kind == "rate":
        return fmt.points(a - b)
    return fmt.signed(a - b)


cols = st.columns(4)
for i, (section, key, label, kind) in enumerate(CARDS):
    a, b = now[section][key], before[section][key]
    change = None if a is None or b is None else a - b
    ui.metric_card(cols[i % 4], label, show(a, kind), change, delta(a, b, kind),
                   higher_is_better=key != "pending_overdue")

st.subheader("Các đơn vị")
view = pd.DataFrame({
    "Đơn vị": table.unit_name,
    "Hồ sơ tiếp nhận": table.received,
    "Đúng hạn": table.on_time_rate * 100,
    "Trực tuyến": table.online_rate * 100,
    "Số hóa": table.digitized_rate * 100,
    "Đang quá hạn": table.pending_overdue,
    "Lượt khách": table.visitors,
    "Lúa (tấn)": table.rice_production_tonnes,
    "Thủy sản nuôi (tấn)": table.aquaculture_tonnes,
})
pct = st.column_config.NumberColumn(format="%.1f %%")
st.dataframe(view, hide_index=True, width="stretch", column_config={
    "Đúng hạn": pct, "Trực tuyến": pct, "Số hóa": pct,
    "Hồ sơ tiếp nhận": st.column_config.NumberColumn(format="localized"),
    "Lượt khách": st.column_config.NumberColumn(format="localized"),
    "Lúa (tấn)": st.column_config.NumberColumn(format="localized"),
    "Thủy sản nuôi (tấn)": st.column_config.NumberColumn(format="localized"),
})
st.caption("Ô trống = không có dữ liệu (không phải 0). Tỷ lệ tính lại từ số đếm, không lấy trung bình các tỷ lệ.")
