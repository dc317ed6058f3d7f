"""Opening the app in Streamlit's AppTest, as the page tests do."""
from __future__ import annotations

import base64
import os
import re
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from communes import db, queries, settings


def open_app(page: str | None = None, timeout: int = 90, **params) -> AppTest:
    """Run ``app.py`` with ``params`` in the URL; with ``page`` ("pages/profile.py"), switch to it and run again."""
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    return at if page is None else at.switch_page(page).run()


@contextmanager
def serving(data: Path, db_dir: Path):
    """For a module-scoped fixture: the app reads ``data``, its database built in ``db_dir``.

    Yields a read-only connection to that database; the settings and Streamlit's caches are
    restored afterwards.
    """
    old = {k: os.environ.get(k) for k in ("COMMUNES_DATA_DIR", "COMMUNES_DB_DIR")}
    os.environ["COMMUNES_DATA_DIR"], os.environ["COMMUNES_DB_DIR"] = str(data), str(db_dir)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield queries.connection(db.build(data, db_dir).path)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        st.cache_data.clear()
        st.cache_resource.clear()


def plotly_array(v) -> np.ndarray:
    """A Plotly array from a chart's JSON: a list, or a typed array {dtype, bdata, shape}."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        return a.reshape([int(x) for x in str(v.get("shape", len(a))).split(",")])
    return np.array(v, dtype=float)


def shown(df):
    """A static table (``st.table``, which renders Markdown) as the reader sees it: the pages escape text
    from the files (``communes.ui.table``), and the browser drops the escapes again."""
    def unescape(x):
        return re.sub(r"\\(.)", r"\1", x) if isinstance(x, str) else x
    out = df.map(unescape)
    out.columns = [unescape(c) for c in df.columns]
    out.index = pd.Index([unescape(i) for i in df.index], name=unescape(df.index.name))
    return out

