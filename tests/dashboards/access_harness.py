"""What the access tests need beyond kpi_pages: the files a download button would serve, all
the text a page shows, and the serving copy read directly (the marts a page must agree with)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest


class Downloads:
    """The media managers of AppTest runs: a download button's file is made by the same call
    a browser's click makes the server run (``execute_deferred``), audit included."""

    def __init__(self) -> None:
        self.managers: list[MediaFileManager] = []

    def recording_manager(self) -> type[MediaFileManager]:
        """A MediaFileManager that keeps hold of itself here, to stand in for AppTest's."""
        recorder = self

        class Recording(MediaFileManager):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, **kwargs)
                recorder.managers.append(self)

        return Recording

    def files(self, at: AppTest) -> dict[str, bytes]:
        """Every download button of the last run, clicked: file name → content."""
        manager = self.managers[-1]
        found = {}
        for button in at.get("download_button"):
            url = manager.execute_deferred(button.proto.deferred_file_id)
            stored = manager.read_file(url.rsplit("/", 1)[-1].split(".")[0])
            found[stored.filename] = stored.content
        return found

    def csv_rows(self, at: AppTest, name: str) -> list[dict[str, str]]:
        content = self.files(at)[f"{name}.csv"].decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(content, newline="")))


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Downloads]:
    recorder = Downloads()
    # AppTest makes a new manager for every run; keep hold of them.
    monkeypatch.setattr(app_test_module, "MediaFileManager", recorder.recording_manager())
    yield recorder


def page_text(at: AppTest) -> str:
    """Every word the last run put on the screen: texts, figures, tables, choices."""
    parts = [
        element.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info",
                     "warning", "error", "success")
        for element in at.get(kind)
    ]  # fmt: skip
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(option) for box in at.selectbox for option in box.options]
    return "\n".join(str(p) for p in parts)


def mart(served: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(served), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
