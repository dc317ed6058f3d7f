"""Tổng quan: the city's headline indicators for a period and every unit in one table."""
import pandas as pd
import streamlit as st

from communes import fmt, ui
from communes.views import overview

f: ui.Frame = ui.page_frame()
lg = f.lang

# data
d = overview.load(ui.data, f)
now, before, table = d["now"], d["before"], d["table"]

# layout
st.title(f.t("overview.title", period=f.period.label(lg)))
st.caption(f"{f.ref.province} · {f.t('compare.vs', period=f.compare.label(lg))}")

CARDS = [  # (section, indicator, kind)
    ("dossiers", "on_time_rate", "rate"),
    ("dossiers", "online_rate", "rate"),
    ("dossiers", "digitized_rate", "rate"),
    ("dossiers", "pending_overdue", "count"),
    ("tourism", "visitors", "count"),
    ("tourism", "revenue_vnd", "money"),
    ("agriculture", "rice_production_tonnes", "tonnes"),
    ("fishery", "aquaculture_tonnes", "tonnes"),
]
SHOW = {"rate": fmt.percent, "money": fmt.money, "tonnes": fmt.tonnes, "count": fmt.number}

cols = st.columns(4)
for i, (section, key, kind) in enumerate(CARDS):
    a, b = now[section][key], before[section][key]
    change = None if a is None or b is None else a - b
    text = None if change is None else fmt.points(change, lang=lg) if kind == "rate" else fmt.signed(change, lang=lg)
    ui.metric_card(cols[i % 4], f.t(f"ind.{key}"), SHOW[kind](a, lang=lg), change, text,
                   higher_is_better=key != "pending_overdue")

st.subheader(f.t("overview.units"))
view = pd.DataFrame({f.t("col.unit"): table.unit_name})
for key in ["received", "on_time_rate", "online_rate", "digitized_rate", "pending_overdue", "visitors",
            "rice_production_tonnes", "aquaculture_tonnes"]:
    view[f.t(f"ind.{key}")] = table[key] * 100 if key.endswith("_rate") else table[key]
config = {f.t(f"ind.{k}"): st.column_config.NumberColumn(format="%.1f %%")
          for k in ["on_time_rate", "online_rate", "digitized_rate"]}
st.dataframe(view, hide_index=True, width="stretch", column_config=config)
st.caption(f.t("overview.no_data_note"))
