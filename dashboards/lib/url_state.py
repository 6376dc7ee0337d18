"""Filters kept in the URL as stable codes, so that a link reopens the same view.

Streamlit's own ``bind="query-params"`` writes the *displayed* option into the URL; our
options are shown translated (日/Day), so a link would change meaning with the language.
Here the widget's options are the codes (``week``, ``2026-11-09``, ``channel:hall``), the
URL holds the code, and ``format_func`` only changes what is shown. A value equal to its
default is left out of the URL, so a bookmark of a bare page keeps following the data.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import streamlit as st


def seed(key: str, default: str, allowed: Collection[str] | None = None) -> None:
    """Before the widget ``key`` is drawn: take its value from the URL on the page's first
    run, and fall back to ``default`` when the value is not (or no longer) allowed."""
    if key not in st.session_state:
        requested = st.query_params.get(key)
        valid = requested is not None and (allowed is None or requested in allowed)
        st.session_state[key] = requested if valid else default
    elif allowed is not None and st.session_state[key] not in allowed:
        st.session_state[key] = default


def publish(key: str, default: str) -> None:
    """Write the widget's value to the URL, or drop it there when it is the default."""
    value = st.session_state.get(key)
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def choice(
    widget: Callable[..., Any],
    label: str,
    options: list[str],
    *,
    key: str,
    default: str,
    **kwargs: Any,
) -> str:
    """``widget`` (``st.selectbox``, ``st.segmented_control``, …) over code ``options``,
    kept in the URL under ``key``."""
    seed(key, default, options)
    if "format_func" in kwargs:
        # Labelled now, in this run's language: Streamlit may call format_func again later,
        # outside the run (AppTest does), where the language is no longer known.
        labels = {option: kwargs["format_func"](option) for option in options}
        kwargs["format_func"] = labels.__getitem__
        _resend_on_new_labels(key, labels)
    value = widget(label, options=options, key=key, **kwargs)
    publish(key, default)
    return value


def _resend_on_new_labels(key: str, labels: dict[str, str]) -> None:
    """The browser keeps a selectbox's choice as its label: after a language switch it would
    go on showing the old label and later send it back as a value no option has. Setting
    the value again makes Streamlit send the choice anew, under its new label."""
    shown = f"_labels_{key}"
    if st.session_state.get(shown, labels) != labels and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    st.session_state[shown] = labels
