"""Downloads of a shown table as CSV or Excel, safe to open in a spreadsheet.

Tables hold untrusted text (complaint summaries, raw quarantined lines). A cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can run as a formula when the file
is opened in Excel or WPS (CSV/formula injection), so such text gets a leading apostrophe.
Numbers are left as numbers: only text is neutralised.

Every download is written to the audit (``pipelines.access.store``: who, which page and
table, the filters in the URL, how many rows, when) at the moment the file is made, which is
when the browser asks for it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from lib import auth
from lib.i18n import STATE_KEY, t
from pipelines.access import store
from pipelines.spreadsheet import neutralise

_PAGE = "_export_page"


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every formula-like text cell neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    # The BOM makes Excel read the file as UTF-8, so Chinese text is not garbled. CRLF line
    # ends (RFC 4180) also make the writer quote any field holding a bare carriage return.
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    buffer = io.BytesIO()
    # Without these options xlsxwriter turns text starting with "=" into a formula and
    # text that looks like a URL into a hyperlink.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as xl:
        safe_frame(frame).to_excel(xl, sheet_name=sheet_name[:31], index=False)
    return buffer.getvalue()


def set_page(page: str) -> None:
    """The page this run's downloads come from, for the audit (set by the entry point)."""
    st.session_state[_PAGE] = page


def _audited(build: Callable[[], bytes], download: store.Download) -> Callable[[], bytes]:
    # Streamlit calls this when the browser asks for the file, on a thread of its own: what
    # to record is fixed now, while the run knows who is signed in and what is shown.
    def data() -> bytes:
        content = build()
        store.record_download(download)
        return content

    return data


def download_buttons(frame: pd.DataFrame, name: str) -> None:
    """CSV and Excel download buttons for ``frame``; files are built only when clicked."""
    principal = auth.scope()
    if principal is None:
        raise auth.NotSignedIn("downloads are for signed-in users")
    filters = {k: v for k, v in st.query_params.to_dict().items() if k != STATE_KEY}

    def record(file_format: str) -> store.Download:
        return store.Download(
            username=principal.username,
            role=principal.role.value,
            page=st.session_state.get(_PAGE, ""),
            table_name=name,
            file_format=file_format,
            row_count=len(frame),
            filters=filters,
        )

    row = st.container(horizontal=True)
    row.download_button(
        t("export.csv"),
        data=_audited(partial(to_csv, frame), record("csv")),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"export_csv_{name}",
    )
    row.download_button(
        t("export.xlsx"),
        data=_audited(partial(to_xlsx, frame, name), record("xlsx")),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
        key=f"export_xlsx_{name}",
    )
