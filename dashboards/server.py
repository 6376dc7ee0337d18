"""The dashboard server: ``streamlit run dashboards/server.py`` (what ``make run`` starts).

``streamlit_app.py`` is the app; this launcher serves it together with the dashboard's own
session routes (``lib/session_routes.py``), which set and delete the HttpOnly session cookie.
"""

import streamlit as st
from lib import session_routes

app = st.App("streamlit_app.py", routes=session_routes.routes())
