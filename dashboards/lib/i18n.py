"""Every label of the dashboard in Chinese and English, and the current language.

Chinese is the default; the language lives in ``st.session_state["lang"]`` (the switch
widget's key) and is mirrored to the URL as ``?lang=zh|en`` so that a shared link opens in
the sender's language. KPI names are not here: they come from ``marts.kpi_catalog`` (the
dbt seed), the one declaration of the KPIs.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import serving
from pipelines.contract import REASONS

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"
STATE_KEY = "lang"
# In both languages at once, so that a reader of either finds the switch.
SWITCH_LABEL = "语言 / Language"

# key -> (中文, English)
_LABELS: dict[str, tuple[str, str]] = {
    "app.title": ("满意 · 服务质量", "Manyi · service quality"),
    "app.no_build": (
        "还没有发布的数据：流水线尚未完成第一次构建。构建完成后刷新本页即可。",
        "No data has been published yet: the pipeline has not finished its first build. "
        "Reload this page once it has.",
    ),
    "page.data_quality": ("数据质量", "Data quality"),
    "export.csv": ("下载 CSV", "Download CSV"),
    "export.xlsx": ("下载 Excel", "Download Excel"),
    "dq.intro": (
        "每个交付文件的入库情况：读取、入库、隔离与替换的行数，被拒收的文件，以及隔离行的原因与样本。",
        "How each delivered file was loaded: rows read, loaded, quarantined and replaced, "
        "rejected files, and why rows were quarantined.",
    ),
    "dq.built_at": ("最近一次成功构建", "Last successful build"),
    "dq.published_at": ("数据发布时间（文件时间）", "Published at (file time)"),
    "dq.as_of": ("数据截至", "Data as of"),
    "dq.unknown": ("未记录", "not recorded"),
    "dq.files": ("交付文件", "Files delivered"),
    "dq.rows_loaded": ("入库行数", "Rows loaded"),
    "dq.rows_quarantined": ("隔离行数", "Rows quarantined"),
    "dq.files_rejected": ("仍被拒收的文件", "Files still rejected"),
    "dq.deliveries": ("各表交付情况", "Deliveries per table"),
    "dq.no_deliveries": ("还没有任何文件交付记录。", "No file has been delivered yet."),
    "dq.unaccounted_note": (
        "“未说明”应为 0：读取行数 = 入库行数 + 隔离行数。",
        "“Unaccounted” must be 0: rows read = rows loaded + rows quarantined.",
    ),
    "dq.freshness": ("数据新鲜度", "Freshness"),
    "dq.freshness_note": (
        "每张表最近一次成功入库的文件，以及（构建完成后）最新业务时间距“数据截至”的小时数；"
        "从未交付过的表为空。",
        "The latest successfully loaded file per table and, once built, how many hours its "
        "latest event lies before “data as of”; a table never delivered is empty.",
    ),
    "dq.rejected": ("仍被拒收的文件", "Files still rejected"),
    "dq.rejected_note": (
        "整个文件被拒收（缺少必需字段或无法读取）。重新交付更正后的同名文件即可。",
        "Whole files refused (a required column missing, or unreadable). "
        "Re-delivering a corrected file under the same name clears it.",
    ),
    "dq.no_rejected": ("没有仍被拒收的文件。", "No file is still rejected."),
    "dq.reasons": ("隔离原因（按表）", "Quarantine reasons per table"),
    "dq.no_quarantine": ("没有被隔离的行。", "No row has been quarantined."),
    "dq.sample": ("隔离行样本", "Quarantined rows"),
    "dq.filter_table": ("表", "Table"),
    "dq.filter_reason": ("原因", "Reason"),
    "dq.all": ("全部", "All"),
    "dq.sample_count": (
        "显示 {shown} 行，共 {total} 行符合条件。",
        "Showing {shown} of {total} matching rows.",
    ),
    "dq.no_match": ("没有符合筛选条件的隔离行。", "No quarantined row matches the filters."),
    "dq.reason_legend": ("隔离原因说明", "What the reasons mean"),
    "dq.orphans": ("孤立记录", "Orphan records"),
    "dq.orphans_note": (
        "引用了尚未入库记录的行（例如先于投诉到达的投诉过程）。它们保留在表中，"
        "被引用的记录到达后的下一次构建即自动关联。",
        "Rows that refer to a record not loaded (e.g. a complaint event that arrived before "
        "its complaint). They stay in their tables and join at the next build after the "
        "missing record arrives.",
    ),
    "dq.no_orphans": ("没有孤立记录。", "No orphan records."),
    "dq.orphan_sample": ("前 {shown} 条孤立记录：", "The first {shown} orphan records:"),
    "col.table": ("表", "Table"),
    "col.table_label": ("名称", "Name"),
    "col.files": ("文件数", "Files"),
    "col.loads": ("加载次数", "Loads"),
    "col.rejected": ("拒收次数", "Rejected loads"),
    "col.rows_read": ("读取行数", "Rows read"),
    "col.rows_loaded": ("入库行数", "Rows loaded"),
    "col.rows_quarantined": ("隔离行数", "Rows quarantined"),
    "col.rows_replaced": ("替换行数", "Rows replaced"),
    "col.rows_unaccounted": ("未说明", "Unaccounted"),
    "col.source_file": ("文件", "File"),
    "col.latest_file": ("最新文件", "Latest file"),
    "col.finished_at": ("完成时间", "Finished at"),
    "col.reason": ("原因", "Reason"),
    "col.reason_label": ("原因说明", "Reason explained"),
    "col.rows": ("行数", "Rows"),
    "col.line_number": ("行号", "Line"),
    "col.column_name": ("字段", "Column"),
    "col.detail": ("详情", "Detail"),
    "col.raw_line": ("原始行", "Raw line"),
    "col.quarantined_at": ("隔离时间", "Quarantined at"),
    "col.row_count": ("已入库行数", "Rows in warehouse"),
    "col.latest_event_at": ("最新业务时间", "Latest event"),
    "col.hours_behind_as_of": ("落后小时数", "Hours behind"),
    "col.record_key": ("记录键", "Record key"),
    "col.reference_column": ("引用字段", "Referring column"),
    "col.referenced_table": ("被引用表", "Referenced table"),
    "col.missing_reference": ("缺失的引用值", "Missing value"),
}

# contract table -> (中文, English)
TABLE_NAMES: dict[str, tuple[str, str]] = {
    "halls": ("营业厅", "Business halls"),
    "staff": ("员工", "Staff"),
    "subscribers": ("用户", "Subscribers"),
    "plans": ("资费套餐", "Tariff plans"),
    "sms_ratings": ("短信评价", "SMS ratings"),
    "complaints": ("投诉", "Complaints"),
    "complaint_events": ("投诉处理过程", "Complaint events"),
    "hotline_calls": ("10086 来电", "10086 calls"),
    "agent_shifts": ("坐席班次", "Agent shifts"),
    "bill_items": ("账单明细", "Bill items"),
    "payments": ("缴费", "Payments"),
    "vas_orders": ("增值业务订购", "VAS orders"),
    "billing_disputes": ("收费误差申诉", "Billing disputes"),
    "suspensions": ("停机", "Suspensions"),
    "data_usage_alerts": ("流量提醒", "Data-usage alerts"),
    "usage_monthly": ("月度用量", "Monthly usage"),
}

# The English meaning of each code is contract.REASONS.
REASONS_ZH = {
    "missing_column": "文件缺少必需字段，整个文件被拒收",
    "unreadable_file": "文件无法按 UTF-8 或 GB18030 解码，或不是有效文件",
    "malformed_row": "CSV 行无法解析（字段数不对、引号错误）",
    "missing_required": "必填值为空",
    "bad_type": "值无法解析为其类型",
    "bad_enum": "值不在枚举范围内",
    "bad_phone": "手机号无法规范为 11 位手机号码",
    "rule_broken": "违反了数据约定中的条件规则",
    "duplicate_key": "同一文件内主键重复（第一条之后的每一条）",
}


def language() -> str:
    return st.session_state.get(STATE_KEY, DEFAULT_LANGUAGE)


def t(key: str, **values: object) -> str:
    """The label ``key`` in the current language, with ``{name}`` fields filled in."""
    zh, en = _LABELS[key]
    text = zh if language() == "zh" else en
    return text.format(**values) if values else text


def table_label(table: str) -> str:
    """A contract table's display name; unknown names are shown as they are."""
    if table not in TABLE_NAMES:
        return table
    zh, en = TABLE_NAMES[table]
    return zh if language() == "zh" else en


def reason_label(code: str) -> str:
    """What a quarantine reason code means (codes are stable, see contract.REASONS)."""
    if language() == "zh":
        return REASONS_ZH.get(code, code)
    return REASONS.get(code, code)


def headers(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each column ``x`` that has a label ``col.x`` renamed to that label."""
    return frame.rename(columns={c: t(f"col.{c}") for c in frame.columns if f"col.{c}" in _LABELS})


def kpi_name(kpi_id: str) -> str:
    """A KPI's name from ``marts.kpi_catalog``; the id itself while no catalogue is published."""
    if not serving.table_exists("marts", "kpi_catalog"):
        return kpi_id
    names = serving.query(
        "SELECT name_zh, name_en FROM marts.kpi_catalog WHERE kpi_id = $1", (kpi_id,)
    )
    if names.empty:
        return kpi_id
    return str(names.iloc[0]["name_zh" if language() == "zh" else "name_en"])


def choose_language() -> None:
    """Render the language switch (in the sidebar) and keep ``?lang=`` in the URL."""
    if STATE_KEY not in st.session_state:
        requested = st.query_params.get(STATE_KEY, DEFAULT_LANGUAGE)
        st.session_state[STATE_KEY] = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    st.sidebar.segmented_control(
        SWITCH_LABEL,
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        required=True,
        key=STATE_KEY,
    )
    # Streamlit drops query parameters on a page switch; writing it back on every run keeps
    # the URL shareable whichever page the user is on.
    if st.query_params.get(STATE_KEY) != language():
        st.query_params[STATE_KEY] = language()
