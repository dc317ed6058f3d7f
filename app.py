"""Entry point: ``streamlit run app.py``. Routes first, draws the shared frame, runs the page."""
import streamlit as st

from communes import ui

st.set_page_config(page_title="Bảng điều hành xã, phường – Huế", page_icon="📊", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Tổng quan", icon="🏠", url_path="overview", default=True),
]
page = st.navigation(PAGES)
st.session_state["frame"] = ui.frame()
ui.sample_banner(st.session_state["frame"].version)
page.run()
