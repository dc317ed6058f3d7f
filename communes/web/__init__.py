"""What the server serves beside the Streamlit pages: the one ASGI server (``server``), the read-only API
(``api``), the session (``session``), compressed frontend files (``assets``), and the phone pages
(``mobile``) with their SVG charts."""
