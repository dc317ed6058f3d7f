"""Entry point: ``streamlit run app.py``. Routes first, then the login gate, the shared frame and the page."""
import streamlit as st

from communes import signin, ui
from communes.i18n import t

lang = ui.lang()
# The tab icon is a PNG the server itself serves: an emoji needs a colour-emoji font, a Material icon a CDN.
st.set_page_config(page_title=t("app.tab_title", lang), page_icon=str(ui.settings.ROOT / "communes" / "assets" / "favicon.png"),
                   layout="wide")
ref = ui.refdata.load(ui.settings.get("province"))
user = signin.session_user(ref)  # draws nothing, never stops: None when login is on and nobody is signed in
PAGES = [
    st.Page("pages/overview.py", title=t("page.overview", lang), icon=":material/home:", url_path="overview", default=True),
    st.Page("pages/dossiers.py", title=t("page.dossiers", lang), icon=":material/folder_open:", url_path="dossiers"),
    st.Page("pages/tourism.py", title=t("page.tourism", lang), icon=":material/luggage:", url_path="tourism"),
    st.Page("pages/agriculture.py", title=t("page.agriculture", lang), icon=":material/agriculture:", url_path="agriculture"),
    st.Page("pages/data.py", title=t("page.data", lang), icon=":material/database:", url_path="data"),
    st.Page("pages/profile.py", title=t("page.profile", lang), icon=":material/location_city:", url_path="profile"),
    st.Page("pages/compare.py", title=t("page.compare", lang), icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/briefing.py", title=t("page.briefing", lang), icon=":material/slideshow:", url_path="briefing"),
    st.Page("pages/visits.py", title=t("page.visits", lang), icon=":material/fact_check:", url_path="visits"),
]
# Routes first (Streamlit's guidance): every URL, deep links included, resolves before anything can stop
# the run; a visitor who must sign in gets no menu and, instead of the page, the sign-in screen.
page = st.navigation(PAGES, position="sidebar" if user is not None else "hidden")
if user is None:
    signin.sign_in_screen(ref)  # stops the run: no page runs without a user
frame = ui.frame(user)
signin.logout_control(user)
st.session_state["frame"] = frame
ui.sample_banner(frame.version, frame.lang)
page.run()
ui.share_link(frame.lang)  # after the page: its own URL parameters are set by now
ui.freeze_long_lived()  # after the first run every library is imported
