"""Downloads of a shown table as CSV or Excel, safe to open in a spreadsheet.

Tables hold untrusted text (complaint summaries, raw quarantined lines). A cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can run as a formula when the file
is opened in Excel or WPS (CSV/formula injection), so such text gets a leading apostrophe.
Numbers are left as numbers: only text is neutralised.
"""

from __future__ import annotations

import io
from functools import partial

import pandas as pd
import streamlit as st

from lib.i18n import t
from pipelines.spreadsheet import neutralise


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


def download_buttons(frame: pd.DataFrame, name: str) -> None:
    """CSV and Excel download buttons for ``frame``; files are built only when clicked."""
    row = st.container(horizontal=True)
    row.download_button(
        t("export.csv"),
        data=partial(to_csv, frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"export_csv_{name}",
    )
    row.download_button(
        t("export.xlsx"),
        data=partial(to_xlsx, frame, name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
        key=f"export_xlsx_{name}",
    )
