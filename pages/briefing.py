"""Trình chiếu: the briefing one slide at a time, large enough for a projector, with previous and next
controls (the slide number lives in the URL: ``?slide=3``), and the same slides as a PowerPoint deck.
The scope is the sidebar's (city, type or peer group), or one unit (``?unit=<code or any spelling>``)."""
import streamlit as st

from communes import refdata, signin, ui
from communes.briefing import data as view
from communes.briefing import deck, show
from communes.briefing import slides as sl

f: ui.Frame = ui.page_frame()
lg = f.lang

# filters: one unit (optional; any spelling in the URL), then the slide
units = f.ref.units.sort_values(["unit_type", "short_name"], ascending=[False, True])
units = units[units.unit_code.isin(f.user.allowed(units.unit_code.tolist()))]  # a unit viewer: own units only
names = dict(zip(units.unit_code, units.unit_name))
wanted = st.query_params.get("unit")
if wanted and wanted not in names and "unit" not in st.session_state:
    m = refdata.resolve(f.ref, wanted, before_merger=False)
    if m.unit_code:
        st.query_params["unit"] = m.unit_code
unit = ui.bound(st.sidebar.selectbox, f.t("brief.unit_pick"), ["", *names], "unit", "",
                format_func=lambda c: names.get(c, f.t("brief.unit_none")))
if unit:
    signin.require_unit(f, unit)

# data and slides (the download builds the deck from the same data, with the CLI's function)
d = view.load(ui.data, f, unit=unit or None)
slides = sl.build(d, lg)
n = len(slides)
options = [str(i) for i in range(1, n + 1)]


def go(step: int) -> None:
    here = int(st.session_state.get("slide", "1")) if st.session_state.get("slide") in options else 1
    st.session_state["slide"] = str(min(max(here + step, 1), n))


bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
bar.button(f.t("brief.prev"), icon=":material/arrow_back:", on_click=go, args=(-1,), key="brief_prev")
current = ui.bound(bar.selectbox, f.t("brief.slide_pick"), options, "slide", "1", width=420,
                   label_visibility="collapsed", format_func=lambda i: f"{i}/{n} · {slides[int(i) - 1].title}")
bar.button(f.t("brief.next"), icon=":material/arrow_forward:", on_click=go, args=(1,), key="brief_next")
bar.download_button(f.t("brief.download"), lambda: deck.build(d, lg), type="primary",
                    file_name=f"giao-ban-{d.scope.file_stem()}-{f.period.code.replace('..', '_')}.pptx",
                    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    on_click="ignore", icon=":material/slideshow:", help=f.t("brief.download_help"), key="brief_pptx")

# the slide
s = slides[int(current) - 1]
with st.container(key="brief_slide", border=True):
    show.slide(s, d, lg)
with st.expander(f.t("brief.notes")):
    st.text(s.notes)
