"""Data plans of the pages: one module per page, whose ``load(run, f)`` returns the page's data as one
frozen dataclass (``OverviewData``, ``TourismData``, ``ProfileData``…), which the page reads by attribute.

``run(name, **params)`` runs a named query: ``ui.data`` (cached) in the app, plain
``queries.run`` in ``bench/pages.py``, which times every module here. ``f`` is the
shared frame (period, compare, units, lang, …). No Streamlit here, and no module here imports
another page's: what pages share lives in modules named for it (``communes.periods``, ``communes.tables``…).
"""
