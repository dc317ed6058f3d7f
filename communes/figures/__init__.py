"""Pure figure builders: DataFrames in, Plotly figures out (no Streamlit, no queries)."""
