"""Every word of the e-mails in Chinese and English, and how figures are written.

Same convention as the dashboard (key → (中文, English)); KPI names are not here: they
come from the ``kpi_catalog``, the one declaration of the KPIs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

NOT_ASSESSED = "--"

# key -> (中文, English)
_LABELS: dict[str, tuple[str, str]] = {
    "daily.title": ("每日简报", "Daily briefing"),
    "weekly.title": ("周报", "Weekly report"),
    "monthly.title": ("月度员工评价表", "Monthly staff evaluation"),
    "alert.title": ("指标告警", "Alert"),
    "failure.title": ("运行失败", "Run failed"),
    "checks.title": ("数据检查未通过", "Data checks failed"),
    "period.week": ("{start} 至 {end}", "{start} to {end}"),
    "period.month": ("{year}年{month}月", "{year}-{month:02d}"),
    "meta.as_of": ("数据截至 {as_of}", "Data as of {as_of}"),
    "meta.built_at": ("构建于 {built_at}", "built {built_at}"),
    "meta.unknown": ("未知", "unknown"),
    "meta.stale": (
        "注意：数据只到 {as_of}，未覆盖本期最后一天（{last_day}），本期数字不完整。",
        "Note: the data only reaches {as_of}, before the period's last day ({last_day}); "
        "the figures are incomplete.",
    ),
    "footer": (
        "本邮件由满意数据平台根据服务副本自动生成，请勿直接回复。",
        "Sent automatically by Manyi from the published serving copy; please do not reply.",
    ),
    "footer.attachment": ("明细见附件 {name}。", "Every row is in the attachment {name}."),
    "section.kpis_day": ("昨日指标（{day}）", "Yesterday's KPIs ({day})"),
    "section.week_off_target": ("本周未达标指标", "Off target this week"),
    "section.trends": ("近{weeks}周趋势", "Trend over {weeks} weeks"),
    "section.complaints_due": (
        "今日到期未回复的投诉（48小时首次回复）",
        "Complaints due today without a first reply (48 h)",
    ),
    "section.violations": ("计费与服务承诺违规（{day}）", "Billing-commitment violations ({day})"),
    "section.halls": ("各营业厅汇总", "Summary per hall"),
    "section.top_staff": (
        "各班组排名前{top}（有效回复不少于{min_replies}条）",
        "Top {top} of each team (at least {min_replies} valid replies)",
    ),
    "section.kpi_alerts": ("未达标指标", "KPIs off target"),
    "section.complaint_alerts": (
        "即将或已经超过48小时未回复的投诉",
        "Complaints near or past 48 h without a reply",
    ),
    "section.failed_steps": ("失败步骤", "Failed steps"),
    "section.failed_checks": ("未通过的检查", "Failed checks"),
    "text.kpis_red_first": (
        "未达标的指标排在最前；“--”表示当天无可评估样本。",
        "KPIs off target come first; “--” means nothing could be assessed that day.",
    ),
    "text.all_on_target": ("有目标的指标全部达标。", "Every KPI with a target is on target."),
    "text.none_due": ("今日没有到期未回复的投诉。", "No complaint falls due today."),
    "text.overdue": (
        "另有 {count} 件投诉已超过48小时仍未回复（见附件）。",
        "{count} more complaints are already past 48 h without a reply (see the attachment).",
    ),
    "text.more_rows": ("仅显示前 {shown} 条，共 {total} 条。", "Showing {shown} of {total}."),
    "text.no_violations": ("当天没有违规记录。", "No violation that day."),
    "text.no_staff": ("本月没有评价数据。", "No evaluation data this month."),
    "text.monthly_intro": (
        "{month}员工评价表已作为附件发送，每个营业厅一个工作表。排名按满意率的Wilson 95%置信下限，"
        "在同一班组内、有效回复不少于{min_replies}条的员工之间计算。",
        "The evaluation table for {month} is attached, one sheet per hall. Ranks use the Wilson "
        "95 % lower bound of the satisfaction rate, within a team, among staff with at least "
        "{min_replies} valid replies.",
    ),
    "text.alert_intro": (
        "以下为数据截至 {as_of} 新出现的告警，每项只通知一次。",
        "New alerts as of {as_of}; each is sent once.",
    ),
    "text.failure_intro": (
        "作业 {job} 的运行 {run_id} 失败。",
        "Run {run_id} of job {job} failed.",
    ),
    "text.checks_intro": (
        "作业 {job} 的运行 {run_id} 已完成，但以下错误级别的数据检查未通过。",
        "Run {run_id} of job {job} finished, but these error-severity checks failed.",
    ),
    "col.kpi": ("指标", "KPI"),
    "col.value": ("数值", "Value"),
    "col.target": ("目标", "Target"),
    "col.status": ("状态", "Status"),
    "col.vs_previous_day": ("较前日", "vs day before"),
    "col.vs_previous_week": ("较上周", "vs week before"),
    "col.sample": ("样本数", "Assessed"),
    "col.margin": ("容差", "Margin"),
    "col.complaint_id": ("投诉编号", "Complaint"),
    "col.received_at": ("受理时间", "Received"),
    "col.channel": ("渠道", "Channel"),
    "col.category": ("类别", "Category"),
    "col.urgency": ("紧急程度", "Urgency"),
    "col.msisdn_masked": ("用户号码", "Phone"),
    "col.first_owner_name": ("首问责任人", "First owner"),
    "col.hall_name": ("营业厅", "Hall"),
    "col.reply_deadline_at": ("回复截止", "Reply due"),
    "col.hours_left": ("剩余小时", "Hours left"),
    "col.is_breached": ("已超时", "Late"),
    "col.summary": ("投诉摘要", "Summary"),
    "col.list": ("违规类型", "List"),
    "col.on_day": ("当天", "That day"),
    "col.total": ("累计", "All time"),
    "col.order_id": ("订单号", "Order"),
    "col.product_name": ("业务名称", "Product"),
    "col.sp_code": ("SP代码", "SP"),
    "col.order_channel": ("订购渠道", "Order channel"),
    "col.first_charged_at": ("首次扣费", "First charged"),
    "col.violation": ("违规情形", "Violation"),
    "col.dispute_id": ("申诉编号", "Dispute"),
    "col.item_code": ("收费项目", "Item"),
    "col.verified_error_amount": ("核实差错金额", "Verified error"),
    "col.required_refund_amount": ("应返还金额", "Refund due"),
    "col.refund_amount": ("实际返还", "Refunded"),
    "col.refund_deadline_at": ("返还期限", "Refund deadline"),
    "col.refunded_at": ("返还时间", "Refunded at"),
    "col.suspension_id": ("停机编号", "Suspension"),
    "col.suspended_at": ("停机时间", "Suspended"),
    "col.reminder_sent_at": ("提醒时间", "Reminded"),
    "col.reminder_notice_hours": ("提前小时数", "Notice (h)"),
    "col.hall": ("营业厅/班组", "Hall / team"),
    "col.staff_count": ("员工数", "Staff"),
    "col.staff_id": ("工号", "Staff id"),
    "col.staff_name": ("姓名", "Name"),
    "col.team": ("班组", "Team"),
    "col.invitations": ("邀评数", "Invitations"),
    "col.valid_replies": ("有效回复", "Valid replies"),
    "col.code_1_replies": ("满意", "Satisfied"),
    "col.code_2_replies": ("基本满意", "Fairly satisfied"),
    "col.code_3_replies": ("不满意", "Dissatisfied"),
    "col.satisfaction_rate": ("满意率", "Satisfaction"),
    "col.satisfaction_wilson_lower": ("满意率下限(Wilson)", "Satisfaction lower bound"),
    "col.rank_in_team": ("组内排名", "Rank in team"),
    "col.previous_month_satisfaction_rate": ("上月满意率", "Last month"),
    "col.complaints_first_owned": ("首问投诉数", "Complaints owned"),
    "col.hotline_answered_calls": ("热线接听量", "Calls answered"),
    "col.hotline_fcr_rate": ("一次解决率", "FCR"),
    "col.day": ("日期", "Day"),
    "col.step": ("步骤", "Step"),
    "col.error": ("错误", "Error"),
    "col.asset": ("资产", "Asset"),
    "col.check": ("检查", "Check"),
    "col.description": ("说明", "Description"),
    "status.ok": ("达标", "on target"),
    "status.miss": ("未达标", "off target"),
    "status.none": ("无目标", "no target"),
    "status.not_assessed": ("未评估", "not assessed"),
    "status.late": ("已超时", "late"),
    "status.due": ("今日到期", "due today"),
    "status.at_risk": ("即将超时", "at risk"),
    "sheet.complaints": ("投诉预警", "Complaints due"),
    "sheet.summary": ("汇总", "Summary"),
    "file.daily": ("每日简报_{period}.xlsx", "daily_briefing_{period}.xlsx"),
    "file.monthly": ("员工评价表_{period}.xlsx", "staff_evaluation_{period}.xlsx"),
    "subject.off_target": ("未达标 {count} 项", "{count} off target"),
    "subject.all_on_target": ("全部达标", "all on target"),
    "subject.run": ("{title}：{job}（{run}）", "{title}: {job} ({run})"),
    "subject.alert": ("{title}：{domain} {count} 项", "{title}: {domain}, {count} item(s)"),
    "unit.seconds": ("{value:.1f}秒", "{value:.1f} s"),
    "unit.pp": ("{value:+.2f}个百分点", "{value:+.2f} pp"),
    "unit.seconds_delta": ("{value:+.1f}秒", "{value:+.1f} s"),
}

# Codes from the data contract and the marts; unknown codes are shown as they are.
_CODES: dict[str, tuple[str, str]] = {
    "domain.complaints": ("投诉", "Complaints"),
    "domain.hotline": ("客服热线", "Hotline 10086"),
    "domain.ratings": ("短信评价", "SMS ratings"),
    "domain.billing": ("计费与服务承诺", "Billing and commitments"),
    "channel.hall": ("营业厅", "hall"),
    "channel.vip_center": ("VIP中心", "VIP centre"),
    "channel.hotline_10086": ("10086热线", "10086 hotline"),
    "channel.online": ("网上渠道", "online"),
    "channel.gm_reception": ("总经理接待", "GM reception"),
    "channel.regulator": ("管局转办", "regulator"),
    "category.billing": ("计费", "billing"),
    "category.vas_subscription": ("增值业务订购", "VAS subscription"),
    "category.network_quality": ("网络质量", "network quality"),
    "category.data_usage": ("流量使用", "data usage"),
    "category.service_attitude": ("服务态度", "service attitude"),
    "category.suspension": ("停机", "suspension"),
    "category.tariff": ("资费", "tariff"),
    "category.other": ("其他", "other"),
    "urgency.normal": ("普通", "normal"),
    "urgency.urgent": ("紧急", "urgent"),
    "team.hall": ("营业厅", "hall"),
    "team.hotline": ("热线坐席", "hotline agents"),
    "team.vip_center": ("VIP中心", "VIP centre"),
    "team.back_office": ("后台", "back office"),
    "order_channel.sms": ("短信", "SMS"),
    "order_channel.wap": ("WAP", "WAP"),
    "order_channel.web": ("网站", "web"),
    "order_channel.hotline_10086": ("10086热线", "10086 hotline"),
    "order_channel.hall": ("营业厅", "hall"),
    "order_channel.app": ("手机营业厅", "app"),
    "list.vas_orders_without_consent": (
        "增值业务未经确认或提醒扣费",
        "VAS charged without consent or reminder",
    ),
    "list.double_refund_violations": ("收费误差未双倍返还", "Double refund not kept"),
    "list.suspensions_without_reminder": ("欠费停机未提前提醒", "Suspended without reminder"),
    "violation.no_confirmation": ("未二次确认", "no second confirmation"),
    "violation.no_charge_reminder": ("未扣费提醒", "no charge reminder"),
    "violation.no_confirmation_no_reminder": ("未确认且未提醒", "neither"),
    "violation.missing": ("未返还", "not refunded"),
    "violation.late": ("返还超时", "refunded late"),
    "violation.short": ("返还不足", "refund short"),
    "violation.late_and_short": ("超时且不足", "late and short"),
    "violation.no_reminder": ("未提醒", "no reminder"),
    "violation.reminder_too_late": ("提醒不足24小时", "reminded under 24 h ahead"),
}


@dataclass(frozen=True)
class Text:
    """The labels of one language; ``text("key", name=value)`` fills ``{name}`` fields."""

    language: str

    def __call__(self, key: str, **values: object) -> str:
        zh, en = _LABELS[key]
        text = zh if self.language == "zh" else en
        return text.format(**values) if values else text

    def code(self, kind: str, code: str | None) -> str:
        """The label of a contract code (channel, violation, …); the code itself if unknown."""
        if code is None:
            return ""
        pair = _CODES.get(f"{kind}.{code}")
        if pair is None:
            return code
        return pair[0] if self.language == "zh" else pair[1]

    def value(self, value: float | None, unit: str) -> str:
        """A KPI value in its unit; ``--`` (not assessed) when there is none."""
        if value is None:
            return NOT_ASSESSED
        if unit == "ratio":
            # Tiny ceilings (billing errors, 10⁻⁴) need more digits to be told apart.
            digits = 4 if 0 < abs(value) < 0.001 else 2
            return f"{value * 100:.{digits}f}%"
        if unit == "seconds":
            return self("unit.seconds", value=value)
        return f"{value:.2f}"

    def target(self, target: float | None, direction: str, unit: str) -> str:
        if target is None:
            return "—"
        return f"{'≥' if direction == 'higher_better' else '≤'} {self.value(target, unit)}"

    def delta(self, current: float | None, previous: float | None, unit: str) -> str:
        if current is None or previous is None:
            return NOT_ASSESSED
        change = current - previous
        if unit == "ratio":
            return self("unit.pp", value=change * 100)
        if unit == "seconds":
            return self("unit.seconds_delta", value=change)
        return f"{change:+.2f}"

    def cell(self, value: object) -> str:
        """Any other cell: times to the minute, amounts to the fen, None as empty."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, bool):
            return "✓" if value else ""
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        if isinstance(value, float):
            return f"{value:.1f}"
        return str(value)
