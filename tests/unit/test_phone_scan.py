"""What the privacy scan of the end-to-end test counts as a plain phone number."""

from __future__ import annotations

import pytest

from tests.integration.phone_scan import in_text


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "call 13800138000 now",
        "手机13800138000。",
        "end of sentence.13800138000",
        "<v>13800138000</v>",  # a number cell of a workbook
    ],
)
def test_a_plain_number_is_found(text: str) -> None:
    assert in_text(text) == ["13800138000"]


@pytest.mark.parametrize(
    "text",
    [
        "138****8000",  # masked
        "1380013800",  # ten digits
        "113800138000",  # part of a longer run of digits
        "9f13800138000ab",  # inside a hex pseudonym
        "12800138000",  # no mobile prefix
        "<v>46258.13601851852</v>",  # 2026-08-24 03:15:52 as a workbook day count
    ],
)
def test_what_is_not_a_plain_number(text: str) -> None:
    assert in_text(text) == []
