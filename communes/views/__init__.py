"""Data plans of the pages: ``load(run, f) -> dict[str, DataFrame | dict]`` per page module.

``run(name, **params)`` runs a named query: ``ui.data`` (cached) in the app, plain
``queries.run`` in ``bench/pages.py``, which times every module here. ``f`` is the
shared frame (period, compare, units, lang, …). No Streamlit here.
"""
