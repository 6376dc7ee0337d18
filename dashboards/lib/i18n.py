"""Every label of the dashboard in Chinese and English, and the current language.

Chinese is the default; the language lives in ``st.session_state["lang"]`` (the switch
widget's key) and is mirrored to the URL as ``?lang=zh|en`` so that a shared link opens in
the sender's language. KPI names are not here: they come from ``marts.kpi_catalog`` (the
dbt seed), the one declaration of the KPIs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    # Signing in and access (lib/auth.py, the entry point)
    "auth.title": ("登录满意", "Sign in to Manyi"),
    "auth.username": ("用户名", "Username"),
    "auth.password": ("密码", "Password"),
    "auth.sign_in": ("登录", "Sign in"),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.failed": ("用户名或密码不正确。", "Wrong username or password."),
    "auth.locked": (
        "登录失败次数过多，请 {minutes} 分钟后再试。",
        "Too many failed sign-ins: try again in {minutes} minutes.",
    ),
    "auth.no_users": (
        "还没有任何用户。请在服务器上用 `make user NAME=… ROLE=…` 创建第一个用户（见 README）。",
        "There are no users yet. Create the first one on the server with "
        "`make user NAME=… ROLE=…` (see the README).",
    ),
    "auth.sso_intro": ("使用单位统一身份认证登录。", "Sign in with your organisation's account."),
    "auth.sso_sign_in": ("使用单位账号登录", "Sign in with your organisation's account"),
    "auth.no_role": (
        "您已通过单位账号登录，但尚未被授予满意的任何角色。请联系管理员。",
        "You are signed in with your organisation's account but have no role in Manyi yet. "
        "Ask an administrator.",
    ),
    "auth.signed_in_as": ("{name}（{role}）", "{name} ({role})"),
    "auth.page_refused": (
        "您的角色无权打开此页面。",
        "Your role may not open this page.",
    ),
    "auth.refused": (
        "您的角色无权查看这些数据。",
        "Your role may not see this data.",
    ),
    "auth.hall_scope": (
        "仅显示您负责的营业厅：{halls}。",
        "Only the halls you are responsible for are shown: {halls}.",
    ),
    "auth.no_cases": (
        "逐条记录（涉及单个客户）不向您的角色开放；上面的指标为汇总数据。",
        "Records of single cases (about single customers) are not open to your role; the "
        "figures above are aggregates.",
    ),
    "auth.no_staff_names": (
        "员工个人评价（含姓名）不向您的角色开放；上面为各营业厅的汇总。",
        "Individual staff evaluations (with names) are not open to your role; above are the "
        "halls' totals.",
    ),
    "auth.no_replies": (
        "单条评价回复仅向服务质量管理角色开放。",
        "Single replies are open to the quality role only.",
    ),
    "role.executive": ("公司领导", "executive"),
    "role.quality": ("服务质量管理", "quality"),
    "role.hall_manager": ("营业厅经理", "hall manager"),
    "role.viewer": ("只读访客", "viewer"),
    "page.overview": ("总览", "Overview"),
    "page.complaints": ("投诉", "Complaints"),
    "page.hotline": ("10086 热线", "10086 hotline"),
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
    # KPI pages (lib/kpis.py, lib/kpi_view.py): overview, complaints, hotline.
    "list.sep": ("、", ", "),
    "unit.seconds": ("秒", "s"),
    "unit.pp": ("个百分点", "pp"),
    "grain.day": ("日", "Day"),
    "grain.week": ("周", "Week"),
    "grain.month": ("月", "Month"),
    "kpi.grain": ("统计周期", "Period type"),
    "kpi.period": ("周期", "Period"),
    "kpi.partial": ("（未结束）", " (in progress)"),
    "kpi.period_note": (
        "数据截至 {as_of}。默认显示截至该时刻已结束的最近一个周期；“未结束”的周期数字仍会变化。",
        "Data as of {as_of}. The latest period that had ended by then is shown by default; "
        "figures of a period “in progress” will still change.",
    ),
    "kpi.segment": ("细分", "Breakdown"),
    "kpi.all": ("全部", "All"),
    "kpi.no_kpis": (
        "这次构建没有发布指标数据（marts.kpi_values）。",
        "This build published no KPI figures (marts.kpi_values).",
    ),
    "kpi.no_periods": (
        "所选统计周期下还没有任何指标数据。",
        "There are no KPI figures for this period type yet.",
    ),
    "kpi.nothing_for_filter": (
        "所选周期和细分下没有可评估的数据。",
        "Nothing was assessed for this period and breakdown.",
    ),
    "kpi.other_grain": (
        "以下指标不按{grain}统计，显示为 `--`：{names}。",
        "Not measured by {grain}, shown as `--`: {names}.",
    ),
    "kpi.vs_previous": ("较上期", "vs previous period"),
    "kpi.target": ("目标 {sign} {value}", "Target {sign} {value}"),
    "kpi.no_target": ("无目标", "No target"),
    "kpi.ratio_help": ("分子 {numerator} / 分母 {denominator}", "{numerator} of {denominator}"),
    "kpi.not_assessed_help": (
        "本周期分母为 0：未评估。",
        "Denominator 0 in this period: not assessed.",
    ),
    "kpi.status_legend": (
        "颜色：绿色 = 达标；橙色 = 未达标但差距在容差内（比率类 1 个百分点、时长类 5 秒，"
        "且不超过目标值的 10%；承诺 100% 的指标无容差）；红色 = 差距超出容差；"
        "灰色 = 无目标或未评估（`--`）。",
        "Colours: green = on target; amber = missed by no more than the margin (1 percentage "
        "point for rates, 5 s for durations, at most 10 % of the target; none for 100 % "
        "promises); red = missed by more; grey = no target, or not assessed (`--`).",
    ),
    "status.met": ("达标", "On target"),
    "status.near": ("接近目标", "Near target"),
    "status.missed": ("未达标", "Off target"),
    "status.no_target": ("无目标", "No target"),
    "status.not_assessed": ("未评估", "Not assessed"),
    "seg.channel": ("渠道", "Channel"),
    "seg.category": ("类别", "Category"),
    "seg.queue": ("队列", "Queue"),
    "seg.brand": ("品牌", "Brand"),
    "domain.complaints": ("投诉", "Complaints"),
    "domain.hotline": ("10086 热线", "10086 hotline"),
    "domain.ratings": ("短信评价", "SMS ratings"),
    "domain.billing": ("计费与服务承诺", "Billing and service commitments"),
    # Segment values (kpi_values.segment_value) as segment.<segment_type>.<code>.
    "segment.unknown": ("未知", "Unknown"),
    "segment.channel.hall": ("营业厅", "Business hall"),
    "segment.channel.vip_center": ("集团大客户服务中心", "Corporate VIP centre"),
    "segment.channel.hotline_10086": ("10086 热线", "10086 hotline"),
    "segment.channel.online": ("网上渠道", "Online"),
    "segment.channel.gm_reception": ("总经理接访日", "General manager's reception day"),
    "segment.channel.regulator": ("管局转办", "Referred by the regulator"),
    "segment.category.billing": ("计费", "Billing"),
    "segment.category.vas_subscription": ("增值业务订购", "VAS subscription"),
    "segment.category.network_quality": ("网络质量", "Network quality"),
    "segment.category.data_usage": ("流量使用", "Data usage"),
    "segment.category.service_attitude": ("服务态度", "Service attitude"),
    "segment.category.suspension": ("停机", "Suspension"),
    "segment.category.tariff": ("资费", "Tariff"),
    "segment.category.other": ("其他", "Other"),
    "segment.queue.billing": ("话费账单", "Billing"),
    "segment.queue.data": ("流量", "Data"),
    "segment.queue.vas": ("增值业务", "VAS"),
    "segment.queue.network": ("网络", "Network"),
    "segment.queue.general": ("综合", "General"),
    "segment.queue.vip": ("VIP 专席", "VIP"),
    "segment.brand.gotone": ("全球通", "GoTone"),
    "segment.brand.mzone": ("动感地带", "M-Zone"),
    "segment.brand.easyown": ("神州行", "EasyOwn"),
    "segment.brand.other": ("其他", "Other"),
    "urgency.normal": ("普通", "Normal"),
    "urgency.urgent": ("紧急", "Urgent"),
    "callback_outcome.satisfied": ("满意", "Satisfied"),
    "callback_outcome.fairly_satisfied": ("基本满意", "Fairly satisfied"),
    "callback_outcome.dissatisfied": ("不满意", "Dissatisfied"),
    "callback_outcome.unreachable": ("未接通", "Unreachable"),
    "complaint_status.awaiting_reply": ("待首次回复", "Awaiting a first reply"),
    "complaint_status.in_progress": ("处理中", "In progress"),
    "complaint_status.reopened": ("已重开", "Reopened"),
    "complaint_status.closed": ("已办结", "Closed"),
    "ov.intro": (
        "全部考核指标：所选周期的数值、目标、达标状态、较上期变化与近期趋势。"
        "点击各领域右侧的链接查看详情（保持所选周期）。",
        "Every KPI of the catalogue: the period's value, target, status, change on the "
        "previous period and recent trend. Each domain's link opens its page on this period.",
    ),
    "ov.details": ("查看{domain}详情", "Open {domain}"),
    "ov.table": ("指标明细表（可下载）", "All figures as a table (downloadable)"),
    "cp.intro": (
        "投诉处理时效、办结、回访与满意度，按渠道与类别细分；临近或已超过 48 小时首次回复"
        "承诺的投诉；单个投诉的处理过程。",
        "Complaint handling times, closure, call-backs and satisfaction by channel and "
        "category; complaints close to or past the 48-hour first-reply promise; one "
        "complaint's timeline.",
    ),
    "cp.trends": ("48 小时首次回复与 15 日办结趋势", "48-hour first reply and 15-day closure"),
    "cp.breakdown": ("按渠道与类别", "By channel and category"),
    "cp.kpi": ("指标", "KPI"),
    "cp.watchlist": ("48 小时首次回复预警", "48-hour first-reply watchlist"),
    "cp.watchlist_note": (
        "截至数据时点仍未首次回复的投诉，按剩余小时数排序（负数表示已超时）。点击一行查看其处理过程。",
        "Complaints without a first reply at the data's as-of time, least time left first "
        "(negative: already late). Pick a row to see its timeline.",
    ),
    "cp.waiting_count": ("待首次回复", "Awaiting a first reply"),
    "cp.at_risk_count": ("临近超时", "At risk"),
    "cp.breached_count": ("已超 48 小时", "Past 48 hours"),
    "cp.waiting": ("等待中", "Waiting"),
    "cp.at_risk": ("临近超时", "At risk"),
    "cp.breached": ("已超时", "Late"),
    "cp.no_waiting": (
        "没有等待首次回复的投诉（在所选细分下）。",
        "No complaint is awaiting a first reply (in this breakdown).",
    ),
    "cp.watchlist_limited": (
        "显示剩余时间最少的 {shown} 条，共 {total} 条。",
        "Showing the {shown} with least time left of {total}.",
    ),
    "cp.hall_intro": (
        "您负责的营业厅受理的投诉：尚未首次回复的投诉，以及单个投诉的处理过程。"
        "投诉指标不按营业厅统计，因此不在此显示。",
        "The complaints handled in your halls: those still without a first reply, and one "
        "complaint's timeline. Complaint KPIs are not broken down by hall, so none is shown.",
    ),
    "cp.timeline": ("投诉处理过程", "Complaint timeline"),
    "cp.complaint_id": ("投诉编号", "Complaint id"),
    "cp.complaint_hint": ("在预警表中选择，或输入编号", "Pick one in the watchlist, or type an id"),
    "cp.no_complaint": ("没有找到该编号的投诉。", "No complaint has this id."),
    "cp.milestone.received": ("受理", "Received"),
    "cp.milestone.first_reply": ("首次回复", "First reply"),
    "cp.milestone.first_close": ("首次办结", "First closed"),
    "cp.milestone.reached_callback": ("首次接通回访", "First reached call-back"),
    "cp.milestone.callback_after_close": ("办结后回访", "Call-back after closing"),
    "cp.as_of": ("数据截至", "Data as of"),
    "cp.on_time": ("及时", "On time"),
    "cp.late": ("超时", "Late"),
    "cp.yes": ("是", "Yes"),
    "cp.no": ("否", "No"),
    "hl.intro": (
        "10086 人工服务：接通率、15 秒接通率、分级服务水平、呼损、平均应答与处理时长、"
        "一次解决率、IVR 自助服务，按队列与品牌细分；半小时来电热力图与 Erlang C 人力缺口。",
        "10086 agent service: connection, 15-second answer, tiered service level, abandons, "
        "speed of answer, handle time, first-contact resolution and IVR self-service by queue "
        "and brand; a half-hour heatmap and the Erlang C staffing gap.",
    ),
    "hl.trends": ("趋势", "Trends"),
    "hl.breakdown": ("按队列与品牌", "By queue and brand"),
    "hl.kpi": ("指标", "KPI"),
    "hl.not_segmented": (
        "以下指标不按{segment}细分，未显示：{names}。",
        "Not broken down by {segment}, left out: {names}.",
    ),
    "hl.heatmap": ("每日 × 半小时", "Day × half hour"),
    "hl.heatmap_note": (
        "所选周期内每个半小时（按日统计时显示截至该日的 {days} 天）。",
        "Every half hour of the period (for a day, the {days} days up to it).",
    ),
    "hl.heatmap_note_brand": (
        "所选周期内每个半小时（按日统计时显示截至该日的 {days} 天）；"
        "时段数据不分品牌，显示全部来电。",
        "Every half hour of the period (for a day, the {days} days up to it); half-hour "
        "figures have no brand, so all calls are shown.",
    ),
    "hl.measure": ("显示", "Show"),
    "hl.measure.offered_calls": ("人工请求量", "Agent requests"),
    "hl.measure.answer_15s_share": ("15 秒内接通占比", "Answered within 15 s"),
    "hl.measure.agents_gap": ("人力余缺（坐席）", "Staffing gap (agents)"),
    "hl.weekdays": ("周一,周二,周三,周四,周五,周六,周日", "Mon,Tue,Wed,Thu,Fri,Sat,Sun"),
    "hl.no_intervals": ("所选周期内没有半小时数据。", "No half-hour figures in this period."),
    "hl.staffing": ("人力缺口（Erlang C）", "Staffing gap (Erlang C)"),
    "hl.staffing_note": (
        "每半小时所需坐席数：按 Erlang C 达到 20 秒内接通 80% 的最少坐席；在岗坐席按登录时长折算。"
        "队列的在岗坐席按其话务量分摊（班次不分队列）。",
        "Agents needed per half hour: the fewest agents for 80 % answered within 20 s by "
        "Erlang C; agents on shift are logged-in time ÷ 30 min. A queue gets a share of the "
        "agents in proportion to its load (shifts have no queue).",
    ),
    "hl.day": ("日期", "Day"),
    "hl.short_intervals": ("人力不足的半小时", "Half hours short of agents"),
    "hl.worst_gap": ("最大缺口（坐席）", "Largest shortfall (agents)"),
    "hl.offered_day": ("当日人工请求量", "Agent requests that day"),
    "hl.offered_right_axis": ("人工请求量（右轴）", "Agent requests (right axis)"),
    "col.domain": ("领域", "Domain"),
    "col.kpi": ("指标", "KPI"),
    "col.period": ("周期", "Period"),
    "col.value": ("数值", "Value"),
    "col.target": ("目标", "Target"),
    "col.status": ("状态", "Status"),
    "col.change": ("较上期", "Change"),
    "col.numerator": ("分子", "Numerator"),
    "col.denominator": ("分母", "Denominator"),
    "col.segment_type": ("细分维度", "Breakdown"),
    "col.segment": ("细分", "Segment"),
    "col.complaint_id": ("投诉编号", "Complaint"),
    "col.hours_left": ("剩余小时", "Hours left"),
    "col.watch_status": ("预警", "Watch"),
    "col.received_at": ("受理时间", "Received"),
    "col.reply_deadline_at": ("回复时限", "Reply due"),
    "col.category": ("类别", "Category"),
    "col.urgency": ("紧急程度", "Urgency"),
    "col.first_owner_name": ("首问责任人", "First owner"),
    "col.summary": ("投诉内容", "Summary"),
    "col.milestone": ("节点", "Milestone"),
    "col.at": ("时间", "Time"),
    "col.deadline": ("时限", "Deadline"),
    "col.on_time": ("是否及时", "On time"),
    "col.note": ("备注", "Note"),
    "col.field": ("项目", "Field"),
    "col.escalations": ("督办次数", "Escalations"),
    "col.reopenings_after_close": ("重开次数", "Reopenings"),
    "col.is_repeat": ("重复投诉", "Repeat complaint"),
    "col.slot": ("时段", "Half hour"),
    "col.offered_calls": ("人工请求量", "Agent requests"),
    "col.answered_calls": ("接通", "Answered"),
    "col.answered_within_15s": ("15 秒内接通", "Within 15 s"),
    "col.abandoned_calls": ("放弃", "Abandoned"),
    "col.mean_handle_seconds": ("平均处理时长（秒）", "Mean handle time (s)"),
    "col.agents_on_shift": ("在岗坐席", "Agents on shift"),
    "col.agents_needed": ("所需坐席", "Agents needed"),
    "col.agents_gap": ("余缺", "Gap"),
    "col.occupancy": ("占用率", "Occupancy"),
    "col.expected_service_level": ("预计 20 秒服务水平", "Expected 20-s service level"),
    # 员工评价 · Staff ratings (app_pages/staff.py)
    "page.staff": ("员工评价", "Staff ratings"),
    "st.intro": (
        "短信评价自动生成的员工月度评价表。圆点为满意率，误差线为 Wilson 95% 置信区间："
        "有效评价越少，区间越宽。先选营业厅，再选员工，可查看其历月满意率与每条评价回复。",
        "The monthly staff evaluation table generated from SMS ratings. Dots are satisfaction "
        "rates, error bars their Wilson 95 % interval: the fewer valid replies, the wider. "
        "Choose a hall, then a staff member, to see their months and every reply.",
    ),
    "st.month": ("月份", "Month"),
    "st.hall": ("营业厅", "Hall"),
    "st.team": ("班组", "Team"),
    "st.all": ("全部", "All"),
    "st.no_data": (
        "本次构建还没有员工评价数据。",
        "This build has no staff evaluation data yet.",
    ),
    "st.no_match": (
        "没有符合筛选条件的员工评价：请换一个营业厅、班组或月份。",
        "No staff evaluation matches the filters: choose another hall, team or month.",
    ),
    "st.kpi_note": (
        "本月短信评价指标（选了营业厅时为该营业厅）；班组不是指标的细分维度，不影响上面的数字。",
        "This month's SMS-rating KPIs (for the chosen hall, if any); a team is not a KPI "
        "segment, so the team filter leaves these figures as they are.",
    ),
    "st.halls": ("各营业厅满意率", "Satisfaction per hall"),
    "st.halls_note": (
        "每个营业厅全部员工的有效评价合计；热线等不属营业厅的员工单列一行。",
        "All valid replies of each hall's staff together; staff without a hall (hotline and "
        "others) form a row of their own.",
    ),
    "st.no_hall": ("不属营业厅（热线等）", "No hall (hotline etc.)"),
    "st.legend_large": ("有效评价 ≥ {n} 条", "{n} or more valid replies"),
    "st.legend_small": (
        "有效评价不足 {n} 条（样本小）",
        "Fewer than {n} valid replies (small sample)",
    ),
    "st.interval": ("95% 置信区间", "95 % interval"),
    "st.evaluation": ("员工评价表", "Staff evaluation table"),
    "st.rank_note": (
        "组内排名按 Wilson 置信下限排序，只在有效评价 ≥ {n} 条的员工之间进行；"
        "不足 {n} 条的样本太小，排名显示为 --。点击表头可排序。",
        "Ranks within a team order staff by the Wilson lower bound, among staff with {n} or "
        "more valid replies only; fewer are too few to rank fairly and show --. Click a "
        "header to sort.",
    ),
    "st.detail": ("员工详情", "Staff member"),
    "st.staff": ("员工", "Staff member"),
    "st.pick_staff": ("选择员工", "Choose a staff member"),
    "st.pick_staff_note": (
        "选择一名员工，查看其历月满意率和本月每条评价回复。",
        "Choose a staff member to see their satisfaction by month and this month's replies.",
    ),
    "st.history": ("历月满意率", "Satisfaction by month"),
    "st.replies": ("{month} 的评价回复（不满意在前）", "Replies in {month} (dissatisfied first)"),
    "st.replies_count": (
        "共 {replies} 条回复；另有 {no_reply} 条邀请未回复（或回复尚未到达）。",
        "{replies} replies; {no_reply} more invitations have no reply (yet).",
    ),
    "st.no_replies": ("该员工本月没有收到回复。", "No reply to this staff member this month."),
    "st.replies_missing": (
        "本次构建没有发布评价明细（marts.staff_rating_replies）。",
        "This build publishes no individual replies (marts.staff_rating_replies).",
    ),
    "team.hall": ("营业厅", "Hall"),
    "team.hotline": ("10086 热线", "10086 hotline"),
    "team.vip_center": ("VIP 中心", "VIP centre"),
    "team.back_office": ("后台", "Back office"),
    "st.code.1": ("满意", "Satisfied"),
    "st.code.2": ("基本满意", "Fairly satisfied"),
    "st.code.3": ("不满意", "Dissatisfied"),
    "st.status.invalid": ("无法识别", "Not understood"),
    "st.status.opt_out": ("退订", "Opted out"),
    "st.status.late": ("超时回复（48 小时后）", "Late (after 48 h)"),
    "col.staff_id": ("工号", "Staff ID"),
    "col.staff_name": ("姓名", "Name"),
    "col.hall_id": ("营业厅编号", "Hall ID"),
    "col.hall_name": ("营业厅", "Hall"),
    "col.team": ("班组", "Team"),
    "col.staff_members": ("员工数", "Staff"),
    "col.month": ("月份", "Month"),
    "col.invitations": ("邀请数", "Invitations"),
    "col.valid_replies": ("有效评价", "Valid replies"),
    "col.code_1_replies": ("满意", "Satisfied"),
    "col.code_2_replies": ("基本满意", "Fairly satisfied"),
    "col.code_3_replies": ("不满意", "Dissatisfied"),
    "col.satisfaction_rate": ("满意率", "Satisfaction"),
    "col.satisfaction_wilson_lower": ("置信下限", "Lower bound"),
    "col.satisfaction_wilson_upper": ("置信上限", "Upper bound"),
    "col.rank_in_team": ("组内排名", "Rank in team"),
    "col.previous_month_satisfaction_rate": ("上月满意率", "Last month"),
    "col.complaints_first_owned": ("首问责任投诉", "Complaints first owned"),
    "col.hotline_answered_calls": ("热线接听量", "Calls answered"),
    "col.hotline_fcr_rate": ("一次解决率", "FCR"),
    "col.rating": ("评价", "Rating"),
    "col.reply_text": ("回复原文", "Reply text"),
    "col.invited_at": ("邀请时间", "Invited at"),
    "col.reply_at": ("回复时间", "Replied at"),
    "col.channel": ("渠道", "Channel"),
    "col.service_type": ("业务类型", "Service"),
    "col.msisdn_masked": ("手机号（脱敏）", "Phone (masked)"),
    "col.invitation_id": ("邀请编号", "Invitation"),
    # 计费与承诺 · Billing commitments (app_pages/billing.py)
    "page.billing": ("计费与承诺", "Billing commitments"),
    "bl.intro": (
        "计费准确与各项服务承诺的兑现情况：每项承诺的指标，以及所选周期内每一条违规记录"
        "（手机号已脱敏）；最后是资费导购：哪些用户的套餐不适合其用量、可省多少、推荐哪个套餐。",
        "Billing accuracy and how each service promise was kept: every promise's KPIs and "
        "every case that broke it in the chosen period (masked phone numbers); then the "
        "tariff guide: who is on a plan that does not fit their usage, how much they would "
        "save, and which plan fits.",
    ),
    "bl.month_only": (
        "{kpis}只按月统计：选择“月”才有数值。",
        "{kpis}: measured by month only; choose “Month” to see them.",
    ),
    "bl.about.billing_error": (
        "本月账单明细中，经核实存在计费差错的比例（上限万分之一）。",
        "Share of the month's bill items with a verified billing error (ceiling 10⁻⁴).",
    ),
    "bl.about.double_refund": (
        "收费误差、双倍返还：核实后 7 天内退还不少于 2 倍差错金额。",
        "Billing errors refunded double: at least twice the error within 7 days of verification.",
    ),
    "bl.about.vas": (
        "增值业务须经用户二次确认、并在首次扣费前发送扣费提醒；缺一即可能是强制订购。",
        "A VAS order needs the customer's second confirmation and a charge reminder before "
        "the first charge; lacking either may be a forced subscription.",
    ),
    "bl.about.suspension": (
        "先提醒，后停机：欠费停机前至少 24 小时发送提醒。",
        "Remind first, suspend later: a reminder at least 24 hours before an arrears suspension.",
    ),
    "bl.about.payment_sms": (
        "缴费后 10 分钟内发送到账提醒短信。",
        "A confirmation SMS within 10 minutes of a payment.",
    ),
    "bl.about.data_alert": (
        "流量用到提醒阈值后 60 分钟内发送提醒。",
        "A data-usage alert within 60 minutes of crossing a threshold.",
    ),
    "bl.list.billing_error": (
        "经核实的计费差错（按账期）",
        "Verified billing errors (by bill month)",
    ),
    "bl.list.payment_sms": ("未按时发送到账提醒的缴费", "Payments without a timely confirmation"),
    "bl.list.data_alert": ("未按时发送的流量提醒", "Data alerts not sent in time"),
    "bl.list.double_refund": ("未足额或未按时双倍返还的差错", "Errors not refunded double in time"),
    "bl.list.vas": ("未二次确认或未提醒即扣费的订购", "Orders charged without consent or reminder"),
    "bl.list.suspension": ("未按时提醒的欠费停机", "Arrears suspensions without a timely reminder"),
    "bl.list_missing": (
        "本次构建没有发布违规清单（{mart}）。",
        "This build did not publish the list ({mart}).",
    ),
    "bl.no_violations": ("{period} 没有违规记录。", "No violation in {period}."),
    "bl.violation_filter": ("违规类型", "Violation"),
    "bl.all": ("全部", "All"),
    "bl.violation_count": ("{period} 共 {n} 条。", "{n} in {period}."),
    "bl.violation.missing": ("逾期未退款", "Not refunded"),
    "bl.violation.late": ("退款超过 7 天", "Refunded after 7 days"),
    "bl.violation.short": ("退款不足 2 倍", "Refund below twice the error"),
    "bl.violation.late_and_short": ("超时且不足 2 倍", "Late and below twice the error"),
    "bl.violation.no_confirmation": ("未二次确认", "No second confirmation"),
    "bl.violation.no_charge_reminder": ("未扣费提醒", "No charge reminder"),
    "bl.violation.no_confirmation_no_reminder": (
        "未二次确认且未扣费提醒",
        "No confirmation and no reminder",
    ),
    "bl.violation.no_reminder": ("未提醒", "No reminder"),
    "bl.violation.reminder_too_late": ("提醒不足 24 小时", "Reminder less than 24 h ahead"),
    "bl.violation.verified_error": ("计费差错", "Billing error"),
    "bl.violation.no_sms": ("未发送到账提醒", "No confirmation SMS"),
    "bl.violation.sms_late": ("提醒超过 10 分钟", "SMS after 10 minutes"),
    "bl.violation.sms_before_payment": ("提醒早于缴费时间", "SMS stamped before the payment"),
    "bl.violation.no_alert": ("未发送流量提醒", "No alert"),
    "bl.violation.alert_late": ("提醒超过 60 分钟", "Alert after 60 minutes"),
    "bl.violation.alert_before_crossing": (
        "提醒早于达到阈值时间",
        "Alert stamped before the crossing",
    ),
    "bl.tariff": ("资费导购 · {month}", "Tariff guide · {month}"),
    "bl.tariff_note": (
        "按用户当月用量计算各在售套餐的费用（月费 + 超出套餐的语音、短信、流量）。"
        "最便宜的套餐至少便宜 10 元且至少 10% 时，视为当前套餐不适配。"
        "资费导购按月统计：显示所选周期所在的月份。",
        "Each plan on sale is priced on the customer's usage that month (monthly fee + "
        "voice, SMS and data beyond its allowances). A plan is unsuitable when the cheapest "
        "one costs at least 10 yuan and at least 10 % less. The guide is monthly: it shows "
        "the month holding the chosen period.",
    ),
    "bl.no_tariff": ("{month} 没有资费导购数据。", "No tariff guide for {month}."),
    "bl.overpaying": ("不适配用户 / 参评用户", "Overpaying / subscribers assessed"),
    "bl.total_saving": ("换套餐当月合计可省", "Total saving in the month"),
    "bl.mean_saving": ("人均可省", "Mean saving per subscriber"),
    "bl.no_overpaying": ("本月没有套餐不适配的用户。", "No subscriber was on an unsuitable plan."),
    "bl.recommended": (
        "推荐套餐（按用户当前套餐分色）",
        "Recommended plans (coloured by the plan billed now)",
    ),
    "bl.biggest_savings": (
        "可省最多的用户（最多 {n} 位）",
        "The largest savings (at most {n} subscribers)",
    ),
    "seg.item_code": ("账单科目", "Bill item"),
    "seg.order_channel": ("订购渠道", "Order channel"),
    "seg.threshold_pct": ("提醒阈值", "Alert threshold"),
    "segment.item_code.monthly_plan": ("套餐月费", "Monthly plan fee"),
    "segment.item_code.voice_call": ("语音通话", "Voice calls"),
    "segment.item_code.p2p_sms": ("点对点短信", "Person-to-person SMS"),
    "segment.item_code.sp_sms": ("SP 短信", "SP SMS"),
    "segment.item_code.mobile_secretary": ("移动秘书", "Mobile secretary"),
    "segment.item_code.gprs_package": ("GPRS 套餐", "GPRS package"),
    "segment.item_code.data_service": ("数据业务", "Data services"),
    "segment.item_code.e_shopping": ("手机购物", "Mobile shopping"),
    "segment.item_code.voice_info": ("语音信息", "Voice information"),
    "segment.item_code.other": ("其他", "Other"),
    "segment.order_channel.sms": ("短信", "SMS"),
    "segment.order_channel.wap": ("WAP", "WAP"),
    "segment.order_channel.web": ("网站", "Web"),
    "segment.order_channel.hotline_10086": ("10086 热线", "10086 hotline"),
    "segment.order_channel.hall": ("营业厅", "Business hall"),
    "segment.order_channel.app": ("手机营业厅 App", "App"),
    "segment.threshold_pct.50": ("用量 50%", "50 % used"),
    "segment.threshold_pct.80": ("用量 80%", "80 % used"),
    "segment.threshold_pct.100": ("用量 100%", "100 % used"),
    # Payment channels and SMS-rating channels share kpi_values.segment_type 'channel'.
    "segment.channel.third_party": ("第三方支付", "Third-party payment"),
    "segment.channel.hall_counter": ("营业厅柜台", "Hall counter"),
    "segment.channel.bank": ("银行", "Bank"),
    "segment.channel.online_hall": ("网上营业厅", "Online hall"),
    "segment.channel.self_service_kiosk": ("自助终端", "Self-service kiosk"),
    "segment.channel.mobile_app": ("手机营业厅 App", "Mobile app"),
    "segment.channel.sms_hall": ("短信营业厅", "SMS hall"),
    "segment.channel.hotline": ("10086 热线", "10086 hotline"),
    "col.dispute_id": ("申诉编号", "Dispute"),
    "col.violation": ("违规类型", "Violation"),
    "col.bill_month": ("账期", "Bill month"),
    "col.item_code": ("账单科目", "Bill item"),
    "col.verified_at": ("核实时间", "Verified at"),
    "col.verified_error_amount": ("核实差错金额", "Verified error"),
    "col.required_refund_amount": ("应退金额（2 倍）", "Due refund (2×)"),
    "col.refund_deadline_at": ("退款期限", "Refund due"),
    "col.refunded_at": ("退款时间", "Refunded at"),
    "col.refund_amount": ("实退金额", "Refunded"),
    "col.refund_shortfall": ("少退金额", "Shortfall"),
    "col.days_to_refund": ("退款用时（天）", "Days to refund"),
    "col.order_id": ("订单编号", "Order"),
    "col.product_name": ("产品", "Product"),
    "col.product_code": ("产品编码", "Product code"),
    "col.sp_code": ("SP 代码", "SP code"),
    "col.order_channel": ("订购渠道", "Order channel"),
    "col.requested_at": ("订购时间", "Requested at"),
    "col.confirmed_at": ("二次确认时间", "Confirmed at"),
    "col.charge_reminder_at": ("扣费提醒时间", "Charge reminder at"),
    "col.first_charged_at": ("首次扣费时间", "First charged at"),
    "col.cancelled_at": ("退订时间", "Cancelled at"),
    "col.suspension_id": ("停机编号", "Suspension"),
    "col.suspended_at": ("停机时间", "Suspended at"),
    "col.reminder_due_at": ("最晚提醒时间", "Reminder due"),
    "col.reminder_sent_at": ("提醒时间", "Reminder sent"),
    "col.reminder_notice_hours": ("提前小时数", "Hours of notice"),
    "col.restored_at": ("复机时间", "Restored at"),
    "col.payment_id": ("缴费流水号", "Payment"),
    "col.paid_at": ("缴费时间", "Paid at"),
    "col.amount": ("金额", "Amount"),
    "col.confirm_deadline_at": ("最晚提醒时间", "Confirmation due"),
    "col.confirm_sms_at": ("到账提醒时间", "Confirmation SMS at"),
    "col.confirm_sms_seconds": ("提醒用时（秒）", "Seconds to SMS"),
    "col.alert_month": ("账期", "Month"),
    "col.threshold_pct": ("提醒阈值", "Threshold"),
    "col.crossed_at": ("达到阈值时间", "Crossed at"),
    "col.alert_deadline_at": ("最晚提醒时间", "Alert due"),
    "col.alert_sent_at": ("提醒时间", "Alert sent at"),
    "col.alert_seconds": ("提醒用时（秒）", "Seconds to alert"),
    "col.billed_plan_code": ("当前套餐", "Current plan"),
    "col.billed_plan_cost": ("当前套餐费用", "Cost on current plan"),
    "col.cheapest_plan_code": ("推荐套餐", "Recommended plan"),
    "col.cheapest_plan_cost": ("推荐套餐费用", "Cost on recommended plan"),
    "col.saving": ("可省", "Saving"),
    "col.saving_share": ("可省比例", "Saving share"),
    "col.voice_minutes": ("语音分钟", "Voice minutes"),
    "col.sms_count": ("短信条数", "SMS"),
    "col.data_mb": ("流量 (MB)", "Data (MB)"),
    "col.subscribers": ("用户数", "Subscribers"),
    "col.total_saving": ("合计可省", "Total saving"),
    "col.mean_saving": ("人均可省", "Mean saving"),
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


def code_label(group: str, code: object) -> str:
    """The label of an enum ``code`` (label key ``<group>.<code>``); other codes as they are."""
    key = f"{group}.{code}"
    return t(key) if key in _LABELS else str(code)


def label_each(values: pd.Series, label: Callable[[Any], str]) -> pd.Series:
    """``values`` with each one replaced by ``label(value)``, computed once per distinct
    value: a case list of ten thousand rows holds a handful of codes, and a label look-up
    reads the session's language."""
    return values.map({value: label(value) for value in values.unique()})


def segment_label(segment_type: str, code: str) -> str:
    """A KPI segment value's name (label ``segment.<segment_type>.<code>``)."""
    if code == "unknown":
        return t("segment.unknown")
    return code_label(f"segment.{segment_type}", code)


def segment_type_label(segment_type: str) -> str:
    return code_label("seg", segment_type)


def domain_label(domain: str) -> str:
    """A KPI domain's name (``kpi_catalog.domain``)."""
    return code_label("domain", domain)


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
