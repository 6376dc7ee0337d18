"""The data contract (shared/spec/data-contract.md), declared once.

Ingestion, the data generator, the dbt sources and ``docs/contract.md`` are all derived
from ``TABLES`` below; a test holds each of them against it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    ENUM = "enum"
    DATE = "date"
    MONTH = "month"
    TIMESTAMP = "timestamp"
    MONEY = "money"
    INT = "int"
    BOOL = "bool"
    PHONE = "phone"


# The DuckDB type each kind is stored as in `raw.*`. A month is stored as its first day.
STORAGE_TYPE = {
    Kind.TEXT: "VARCHAR",
    Kind.ENUM: "VARCHAR",
    Kind.DATE: "DATE",
    Kind.MONTH: "DATE",
    Kind.TIMESTAMP: "TIMESTAMP",
    Kind.MONEY: "DECIMAL(18,2)",
    Kind.INT: "INTEGER",
    Kind.BOOL: "BOOLEAN",
}

# A phone column is replaced at ingestion by these two (the plain number is never stored):
# the pseudonym (an HMAC of the number) and the masked number.
PSEUDONYM = "customer_key"
PHONE_KEY_SUFFIX = (PSEUDONYM, "msisdn_masked")

# Lineage columns every raw table carries.
LINEAGE_COLUMNS = (
    ("_source_file", "VARCHAR"),
    ("_line_number", "BIGINT"),
    ("_loaded_at", "TIMESTAMP"),
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    values: tuple[str, ...] = ()
    description: str = ""
    free_text: bool = False  # untrusted text: phone-like numbers in it are masked at ingestion

    @property
    def stored_names(self) -> tuple[str, ...]:
        return PHONE_KEY_SUFFIX if self.kind is Kind.PHONE else (self.name,)


@dataclass(frozen=True)
class Rule:
    """A conditional rule. ``broken`` is SQL over the typed columns, true when a row breaks it."""

    name: str
    column: str
    broken: str
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    source: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    delivery: str = "daily"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns a delivery must carry; a file without one is rejected whole."""
        return tuple(c.name for c in self.columns if c.required or c.name in self.primary_key)

    @property
    def stored_key(self) -> tuple[str, ...]:
        """The primary key as stored: a phone column becomes ``customer_key``."""
        return tuple(
            PSEUDONYM if self.column(c).kind is Kind.PHONE else c for c in self.primary_key
        )

    @property
    def stored_columns(self) -> tuple[tuple[str, str], ...]:
        """(name, DuckDB type) of ``raw.<table>``, in order."""
        out: list[tuple[str, str]] = []
        for col in self.columns:
            if col.kind is Kind.PHONE:
                out += [(name, "VARCHAR") for name in PHONE_KEY_SUFFIX]
            else:
                out.append((col.name, STORAGE_TYPE[col.kind]))
        return (*out, *LINEAGE_COLUMNS)


def _c(name: str, kind: Kind, req: bool = False, values: str = "", doc: str = "") -> Column:
    return Column(name, kind, req, tuple(values.split()) if values else (), doc)


def _free_text(name: str, doc: str) -> Column:
    return Column(name, Kind.TEXT, description=doc, free_text=True)


T, E, D, M, TS, MY, N, B, P = (
    Kind.TEXT,
    Kind.ENUM,
    Kind.DATE,
    Kind.MONTH,
    Kind.TIMESTAMP,
    Kind.MONEY,
    Kind.INT,
    Kind.BOOL,
    Kind.PHONE,
)

ITEM_CODES = (
    "monthly_plan voice_call p2p_sms sp_sms mobile_secretary gprs_package data_service "
    "e_shopping voice_info other"
)

TABLES: tuple[Table, ...] = (
    Table(
        "halls",
        "reference",
        "Business halls (营业厅)",
        (
            _c("hall_id", T, True),
            _c("hall_name", T, True),
            _c("district", T, True),
            _c("hall_type", E, True, "flagship standard franchise self_service"),
            _c("opened_on", D),
            _c("closed_on", D),
        ),
        ("hall_id",),
        delivery="snapshot",
    ),
    Table(
        "staff",
        "reference",
        "Staff of halls, the hotline, the VIP centre and the back office",
        (
            _c("staff_id", T, True),
            _c("staff_name", T, True),
            _c("team", E, True, "hall hotline vip_center back_office"),
            _c("hall_id", T),
            _c("role", T),
            _c("hired_on", D, True),
            _c("left_on", D),
        ),
        ("staff_id",),
        (
            Rule(
                "hall_staff_need_hall",
                "hall_id",
                "team = 'hall' AND hall_id IS NULL",
                "hall_id is required when team = hall",
            ),
        ),
        delivery="snapshot",
    ),
    Table(
        "subscribers",
        "reference",
        "Subscribers (one row per phone number)",
        (
            _c("msisdn", P, True),
            _c("brand", E, True, "gotone mzone easyown other"),
            _c("vip", B, True),
            _c("plan_code", T, True),
            _c("home_hall_id", T),
            _c("activated_on", D, True),
            _c("deactivated_on", D),
        ),
        ("msisdn",),
        delivery="snapshot",
    ),
    Table(
        "plans",
        "reference",
        "Tariff catalogue (资费导购)",
        (
            _c("plan_code", T, True),
            _c("plan_name", T, True),
            _c("monthly_fee", MY, True),
            _c("included_voice_minutes", N, True),
            _c("included_sms", N, True),
            _c("included_data_mb", N, True),
            _c("voice_overage_per_minute", MY, True),
            _c("sms_overage_each", MY, True),
            _c("data_overage_per_mb", MY, True),
            _c("available_from", D, True),
            _c("available_to", D),
        ),
        ("plan_code",),
        delivery="snapshot",
    ),
    Table(
        "sms_ratings",
        "ratings",
        "One row per SMS evaluation invitation sent after a service (短信评价)",
        (
            _c("invitation_id", T, True),
            _c("channel", E, True, "hall online_hall hotline"),
            _c("hall_id", T),
            _c("staff_id", T),
            _c("service_type", T, True),
            _c("msisdn", P, True),
            _c("served_at", TS, True),
            _c("invited_at", TS, True),
            _c("delivery_status", E, True, "delivered failed"),
            _c("reply_at", TS),
            _free_text("reply_text", "the customer's raw SMS reply"),
        ),
        ("invitation_id",),
        (
            Rule(
                "hall_rating_needs_hall",
                "hall_id",
                "channel = 'hall' AND hall_id IS NULL",
                "hall_id is required when channel = hall",
            ),
            Rule(
                "served_rating_needs_staff",
                "staff_id",
                "channel IN ('hall', 'hotline') AND staff_id IS NULL",
                "staff_id is required when channel is hall or hotline",
            ),
            Rule(
                "invited_after_served",
                "invited_at",
                "invited_at < served_at",
                "invited_at must not be earlier than served_at",
            ),
            Rule(
                "reply_needs_time",
                "reply_at",
                "reply_text IS NOT NULL AND reply_at IS NULL",
                "reply_at is required when reply_text is present",
            ),
        ),
    ),
    Table(
        "complaints",
        "complaints",
        "Complaints (投诉)",
        (
            _c("complaint_id", T, True),
            _c("received_at", TS, True),
            _c("channel", E, True, "hall vip_center hotline_10086 online gm_reception regulator"),
            _c("msisdn", P, True),
            _c(
                "category",
                E,
                True,
                "billing vas_subscription network_quality data_usage service_attitude "
                "suspension tariff other",
            ),
            _c("urgency", E, True, "normal urgent"),
            _c("first_owner_staff_id", T, True),
            _c("hall_id", T),
            _free_text("summary", "untrusted free text"),
        ),
        ("complaint_id",),
    ),
    Table(
        "complaint_events",
        "complaints",
        "Events on a complaint's timeline; may arrive before the complaint",
        (
            _c("event_id", T, True),
            _c("complaint_id", T, True),
            _c("event_at", TS, True),
            _c(
                "event_type",
                E,
                True,
                "first_reply progress_update escalated resolved closed callback reopened",
            ),
            _c("staff_id", T),
            _c("callback_outcome", E, False, "satisfied fairly_satisfied dissatisfied unreachable"),
            _free_text("note", "untrusted free text"),
        ),
        ("event_id",),
        (
            Rule(
                "callback_needs_outcome",
                "callback_outcome",
                "event_type = 'callback' AND callback_outcome IS NULL",
                "callback_outcome is required when event_type = callback",
            ),
            Rule(
                "outcome_only_on_callback",
                "callback_outcome",
                "event_type <> 'callback' AND callback_outcome IS NOT NULL",
                "callback_outcome must be empty unless event_type = callback",
            ),
        ),
    ),
    Table(
        "hotline_calls",
        "hotline",
        "One row per inbound 10086 call",
        (
            _c("call_id", T, True),
            _c("msisdn", P, True),
            _c("call_start_at", TS, True),
            _c("ivr_exit_at", TS),
            _c("ivr_outcome", E, True, "self_service agent_request hangup"),
            _c("queue", E, False, "billing data vas network general vip"),
            _c("queued_at", TS),
            _c("answered_at", TS),
            _c("abandoned_at", TS),
            _c("agent_id", T),
            _c("call_end_at", TS, True),
            _c("hold_seconds", N),
            _c("wrapup_seconds", N),
            _c("transferred", B),
            _c("disposition", E, False, "resolved ticket_created callback_scheduled transferred"),
            _c("complaint_id", T),
        ),
        ("call_id",),
        (
            Rule(
                "agent_request_needs_queue",
                "queue",
                "ivr_outcome = 'agent_request' AND queue IS NULL",
                "queue is required when ivr_outcome = agent_request",
            ),
            Rule(
                "agent_request_needs_queued_at",
                "queued_at",
                "ivr_outcome = 'agent_request' AND queued_at IS NULL",
                "queued_at is required when ivr_outcome = agent_request",
            ),
            Rule(
                "agent_request_answered_xor_abandoned",
                "abandoned_at",
                "ivr_outcome = 'agent_request' AND (answered_at IS NULL) = (abandoned_at IS NULL)",
                "an agent request has exactly one of answered_at / abandoned_at",
            ),
            Rule(
                "answered_needs_agent",
                "agent_id",
                "answered_at IS NOT NULL AND agent_id IS NULL",
                "agent_id is required when the call was answered",
            ),
            Rule(
                "ends_after_start",
                "call_end_at",
                "call_end_at < call_start_at",
                "call_end_at must not be earlier than call_start_at",
            ),
            Rule(
                "hold_not_negative", "hold_seconds", "hold_seconds < 0", "hold_seconds must be ≥ 0"
            ),
            Rule(
                "wrapup_not_negative",
                "wrapup_seconds",
                "wrapup_seconds < 0",
                "wrapup_seconds must be ≥ 0",
            ),
        ),
    ),
    Table(
        "agent_shifts",
        "hotline",
        "Who was logged in to take calls",
        (
            _c("shift_id", T, True),
            _c("staff_id", T, True),
            _c("shift_start_at", TS, True),
            _c("shift_end_at", TS, True),
        ),
        ("shift_id",),
        (
            Rule(
                "shift_ends_after_start",
                "shift_end_at",
                "shift_end_at <= shift_start_at",
                "shift_end_at must be later than shift_start_at",
            ),
        ),
    ),
    Table(
        "bill_items",
        "billing",
        "The itemised monthly bill: one row per subscriber, month and item",
        (
            _c("bill_month", M, True),
            _c("msisdn", P, True),
            _c("item_code", E, True, ITEM_CODES),
            _c("amount", MY, True),
            _c("plan_code", T, True),
        ),
        ("bill_month", "msisdn", "item_code"),
        delivery="monthly",
    ),
    Table(
        "payments",
        "billing",
        "Payments, with the payment-received SMS (缴费到账提醒)",
        (
            _c("payment_id", T, True),
            _c("msisdn", P, True),
            _c("paid_at", TS, True),
            _c("amount", MY, True),
            _c(
                "channel",
                E,
                True,
                "hall_counter self_service_kiosk online_hall sms_hall mobile_app bank third_party",
            ),
            _c("confirm_sms_at", TS),
            _c("balance_after", MY),
        ),
        ("payment_id",),
        (Rule("payment_positive", "amount", "amount <= 0", "amount must be > 0"),),
    ),
    Table(
        "vas_orders",
        "billing",
        "Value-added-service subscriptions (增值业务订购)",
        (
            _c("order_id", T, True),
            _c("msisdn", P, True),
            _c("product_code", T, True),
            _c("product_name", T, True),
            _c("sp_code", T),
            _c("billing_type", E, True, "monthly per_use"),
            _c("order_channel", E, True, "sms wap web hotline_10086 hall app"),
            _c("requested_at", TS, True),
            _c("confirm_request_at", TS),
            _c("confirmed_at", TS),
            _c("charge_reminder_at", TS),
            _c("first_charged_at", TS),
            _c("cancelled_at", TS),
        ),
        ("order_id",),
    ),
    Table(
        "billing_disputes",
        "billing",
        "Billing error claims (收费误差)",
        (
            _c("dispute_id", T, True),
            _c("msisdn", P, True),
            _c("complaint_id", T),
            _c("raised_at", TS, True),
            _c("bill_month", M, True),
            _c("item_code", E, True, ITEM_CODES),
            _c("claimed_amount", MY, True),
            _c("verified_at", TS),
            _c("verified_error_amount", MY),
            _c("refund_amount", MY),
            _c("refunded_at", TS),
        ),
        ("dispute_id",),
    ),
    Table(
        "suspensions",
        "billing",
        "Service suspensions (停机)",
        (
            _c("suspension_id", T, True),
            _c("msisdn", P, True),
            _c("suspended_at", TS, True),
            _c("reason", E, True, "arrears customer_request loss_report fraud other"),
            _c("reminder_sent_at", TS),
            _c("restored_at", TS),
        ),
        ("suspension_id",),
    ),
    Table(
        "data_usage_alerts",
        "billing",
        "Data-allowance thresholds crossed (流量提醒)",
        (
            _c("msisdn", P, True),
            _c("month", M, True),
            _c("threshold_pct", N, True, "50 80 100"),
            _c("crossed_at", TS, True),
            _c("alert_sent_at", TS),
        ),
        ("msisdn", "month", "threshold_pct"),
    ),
    Table(
        "usage_monthly",
        "billing",
        "Monthly usage per subscriber (for the tariff guide)",
        (
            _c("msisdn", P, True),
            _c("month", M, True),
            _c("voice_minutes", N, True),
            _c("sms_count", N, True),
            _c("data_mb", N, True),
        ),
        ("msisdn", "month"),
        (
            Rule(
                "voice_not_negative",
                "voice_minutes",
                "voice_minutes < 0",
                "voice_minutes must be ≥ 0",
            ),
            Rule("sms_not_negative", "sms_count", "sms_count < 0", "sms_count must be ≥ 0"),
            Rule("data_not_negative", "data_mb", "data_mb < 0", "data_mb must be ≥ 0"),
        ),
        delivery="monthly",
    ),
)

TABLE_BY_NAME = {t.name: t for t in TABLES}

# The columns whose latest loaded value is the data watermark, the default `as_of`.
WATERMARK_COLUMNS = (
    ("complaints", "received_at"),
    ("complaint_events", "event_at"),
    ("hotline_calls", "call_start_at"),
    ("sms_ratings", "invited_at"),
)

# Why a row or a file is quarantined. The codes are stable: dashboards and tests use them.
REASONS = {
    "missing_column": "the file lacks a required column; the whole file is rejected",
    "unreadable_file": "the file cannot be decoded as UTF-8 or GB18030, or is not a valid file",
    "malformed_row": "the CSV row does not parse (wrong number of fields, broken quoting)",
    "missing_required": "a required value is empty",
    "bad_type": "a value does not parse as its type",
    "bad_enum": "a value is outside its enumeration",
    "bad_phone": "a phone number does not normalise to an 11-digit mobile number",
    "rule_broken": "a conditional rule of the contract is broken",
    "duplicate_key": "the key repeats inside one delivery (every copy after the first)",
}

BOOL_TRUE = ("true", "1", "y", "是")
BOOL_FALSE = ("false", "0", "n", "否")


def to_markdown() -> str:
    """The contract as markdown: the body of docs/contract.md."""
    lines = [
        "# Data contract (generated from `pipelines/contract.py`)",
        "",
        "Do not edit by hand: `python -m pipelines.contract > docs/contract.md`.",
        "",
    ]
    for table in TABLES:
        lines += [
            f"## {table.name}",
            "",
            f"{table.description}. Source `{table.source}`, delivered {table.delivery}; "
            f"key ({', '.join(table.primary_key)}).",
            "",
            "| column | type | rule |",
            "| --- | --- | --- |",
        ]
        for col in table.columns:
            rule = "PK" if col.name in table.primary_key else ("req" if col.required else "opt")
            if col.values:
                rule += ": " + ", ".join(f"`{v}`" for v in col.values)
            lines.append(f"| {col.name} | {col.kind.value} | {rule} |")
        if table.rules:
            lines += ["", "Rules:", ""]
            lines += [f"- `{r.name}` ({r.column}): {r.description}" for r in table.rules]
        lines.append("")
    lines += ["## Quarantine reasons", "", "| reason | meaning |", "| --- | --- |"]
    lines += [f"| `{code}` | {text} |" for code, text in REASONS.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(to_markdown())
