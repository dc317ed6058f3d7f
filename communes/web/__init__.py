"""What the server serves beside the Streamlit pages: the phone pages (``mobile``) and their SVG charts."""
