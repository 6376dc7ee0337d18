"""Hand-made raw rows for the complaint, rating and staff models, with known answers.

Evaluated at AS_OF = 2025-03-10 12:00:00 (a Monday). The expected numbers in the tests
are worked out by hand from the comments here; keep both in step.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

AS_OF = "2025-03-10 12:00:00"
LOADED_AT = datetime(2025, 3, 11, 9, 30)


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _customer(n: int) -> dict[str, str]:
    return {"customer_key": f"c{n:02d}", "msisdn_masked": f"138****{n:04d}"}


HALLS = [
    {"hall_id": "H1", "hall_name": "九州路营业厅", "district": "中区", "hall_type": "flagship"},
    {"hall_id": "H2", "hall_name": "滨江营业厅", "district": "东区", "hall_type": "standard"},
]

STAFF = [
    {
        "staff_id": "S1",
        "staff_name": "张三",
        "team": "hall",
        "hall_id": "H1",
        "hired_on": date(2020, 1, 1),
    },
    {
        "staff_id": "S2",
        "staff_name": "李四",
        "team": "hall",
        "hall_id": "H1",
        "hired_on": date(2020, 1, 1),
    },
    {"staff_id": "S3", "staff_name": "王五", "team": "hotline", "hired_on": date(2020, 1, 1)},
    {
        "staff_id": "S4",
        "staff_name": "赵六",
        "team": "hall",
        "hall_id": "H2",
        "hired_on": date(2020, 1, 1),
    },
]

# Active stock (activated_on <= day < deactivated_on): 2025-01-01: c01 c02 = 2;
# 2025-03-01: c01 c02 c05 = 3; 2025-03-03: + c03 = 4; from 2025-03-05 (c02 leaves): 3.
# c04 was deactivated before its activation: never active.
SUBSCRIBERS = [
    {**_customer(1), "activated_on": date(2024, 1, 1)},
    {**_customer(2), "activated_on": date(2024, 1, 1), "deactivated_on": date(2025, 3, 5)},
    {**_customer(3), "activated_on": date(2025, 3, 3)},
    {**_customer(4), "activated_on": date(2025, 2, 1), "deactivated_on": date(2025, 1, 15)},
    {**_customer(5), "activated_on": date(2025, 3, 1), "brand": "gotone", "vip": True},
]
for _sub in SUBSCRIBERS:
    _sub.setdefault("brand", "mzone")
    _sub.setdefault("vip", False)
    _sub["plan_code"] = "P1"


def _complaint(
    cid: str, received: str, channel: str, category: str, customer: int, owner: str = "S9"
) -> dict[str, Any]:
    return {
        "complaint_id": cid,
        "received_at": ts(received),
        "channel": channel,
        "category": category,
        "urgency": "normal",
        "first_owner_staff_id": owner,
        **_customer(customer),
    }


COMPLAINTS = [
    # first reply at exactly 48:00:00: on time; closed, reached call-back satisfied.
    _complaint("K01", "2025-03-03 09:00:00", "hotline_10086", "billing", 1, "S1"),
    # first reply at 48:00:01: late; reached call-back dissatisfied (not closed).
    _complaint("K02", "2025-03-03 10:00:00", "hall", "billing", 2, "S1"),
    # first reply from a `resolved` event; escalated; unreachable call-back skipped; reopened.
    _complaint("K03", "2025-03-04 08:00:00", "online", "network_quality", 3, "S2"),
    # open, inside its 48 h at as_of: not assessed.
    _complaint("K04", "2025-03-09 12:00:00", "hall", "tariff", 1),
    # open past its deadline: late. Repeat of K01 (c01 billing, 4 days earlier).
    _complaint("K05", "2025-03-07 11:00:00", "hotline_10086", "billing", 1),
    # its first reply comes after as_of: still open inside 48 h. Repeat of K02 (6 days).
    _complaint("K06", "2025-03-09 13:00:00", "online", "billing", 2),
    # closed at exactly 15 days (on time) — its first reply, so 48 h late; no call-back.
    _complaint("K07", "2025-02-01 09:00:00", "regulator", "other", 5),
    # closed at 15 days + 1 s (late); call-back at exactly 7 days. Repeat of K07 (1 h).
    _complaint("K08", "2025-02-01 10:00:00", "regulator", "other", 5),
    # no events, long past both deadlines. Repeat of K07/K08 (19 days).
    _complaint("K09", "2025-02-20 10:00:00", "hall", "other", 5),
    # repeat window: K12 is exactly 30 days after K11 (repeat), K13 30 days + 1 s after K12.
    _complaint("K11", "2025-01-01 00:00:00", "online", "vas_subscription", 4),
    _complaint("K12", "2025-01-31 00:00:00", "online", "vas_subscription", 4),
    _complaint("K13", "2025-03-02 00:00:01", "online", "vas_subscription", 4),
    # same customer, category and instant: neither is strictly earlier, no repeat.
    _complaint("K14", "2025-03-08 08:00:00", "hall", "data_usage", 3),
    _complaint("K15", "2025-03-08 08:00:00", "hall", "data_usage", 3),
    # call-back 7 days + 1 s after the close: not within 7 days.
    _complaint("K16", "2025-02-10 09:00:00", "hall", "service_attitude", 2),
    # closed 2025-03-09 09:00, no call-back yet, 7 days not over: not assessed.
    _complaint("K17", "2025-03-08 09:00:00", "hotline_10086", "network_quality", 1),
    # open, 8 hours left to its deadline at as_of: at risk.
    _complaint("K19", "2025-03-08 20:00:00", "gm_reception", "suspension", 3),
    # received after as_of: absent, and no period after the as_of date.
    _complaint("K18", "2025-03-11 09:00:00", "hall", "billing", 1),
]

_EVENTS = [
    ("K01", "2025-03-05 09:00:00", "first_reply", None),
    ("K01", "2025-03-06 10:00:00", "closed", None),
    ("K01", "2025-03-07 10:00:00", "callback", "satisfied"),
    ("K02", "2025-03-05 10:00:01", "first_reply", None),
    ("K02", "2025-03-08 10:00:00", "callback", "dissatisfied"),
    ("K03", "2025-03-04 10:00:00", "escalated", None),
    ("K03", "2025-03-04 20:00:00", "resolved", None),
    ("K03", "2025-03-05 08:00:00", "closed", None),
    ("K03", "2025-03-06 08:00:00", "callback", "unreachable"),
    ("K03", "2025-03-06 18:00:00", "callback", "satisfied"),
    ("K03", "2025-03-07 09:00:00", "reopened", None),
    ("K06", "2025-03-10 13:00:00", "first_reply", None),
    ("K07", "2025-02-16 09:00:00", "closed", None),
    ("K08", "2025-02-16 10:00:01", "closed", None),
    ("K08", "2025-02-23 10:00:01", "callback", "fairly_satisfied"),
    ("K16", "2025-02-10 10:00:00", "first_reply", None),
    ("K16", "2025-02-11 09:00:00", "closed", None),
    ("K16", "2025-02-18 09:00:01", "callback", "satisfied"),
    ("K17", "2025-03-08 10:00:00", "first_reply", None),
    ("K17", "2025-03-09 09:00:00", "closed", None),
    # an orphan: its complaint is not loaded.
    ("K99", "2025-03-05 09:00:00", "closed", None),
]
COMPLAINT_EVENTS = [
    {
        "event_id": f"E{n:02d}",
        "complaint_id": cid,
        "event_at": ts(at),
        "event_type": kind,
        "callback_outcome": outcome,
    }
    for n, (cid, at, kind, outcome) in enumerate(_EVENTS, start=1)
]


def _rating(
    iid: str,
    invited: str,
    reply: str | None,
    reply_at: str | None = None,
    *,
    channel: str = "hall",
    hall: str | None = "H1",
    staff: str | None = "S1",
    service: str = "缴费",
    delivered: bool = True,
) -> dict[str, Any]:
    return {
        "invitation_id": iid,
        "channel": channel,
        "hall_id": hall,
        "staff_id": staff,
        "service_type": service,
        **_customer(1),
        "served_at": ts(invited),
        "invited_at": ts(invited),
        "delivery_status": "delivered" if delivered else "failed",
        "reply_text": reply,
        "reply_at": ts(reply_at) if reply_at else None,
    }


# U+FF01..U+FF5E and U+3000, which NFKC maps to ASCII '!'..'~' and a space.
FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000①"

_D = "2025-03-03 10:00:00"  # invitations of the parsing cases; replies one hour later
_R = "2025-03-03 11:00:00"

# (invitation, reply text, reply time, expected status, expected code)
PARSE_CASES = [
    ("R01", "１", _R, "valid", 1),
    ("R02", "1满意", _R, "valid", 1),
    ("R03", "12", _R, "invalid", None),
    ("R04", "5", _R, "invalid", None),
    ("R05", "不满意！", _R, "valid", 3),
    ("R06", "非常满意", _R, "valid", 1),
    ("R07", "基本满意", _R, "valid", 2),
    ("R08", "TD", _R, "opt_out", None),
    ("R09", "退订谢谢", _R, "opt_out", None),
    ("R10", "0", _R, "opt_out", None),
    ("R11", "1", "2025-03-05 10:00:01", "late", None),
    ("R12", None, None, "no_reply", None),
    ("R14", " ３　太慢了", _R, "valid", 3),
    ("R15", "td", _R, "opt_out", None),
    ("R16", "2。", _R, "valid", 2),
    ("R17", "一般", _R, "valid", 2),
    ("R18", "满意", "2025-03-05 10:00:00", "valid", 1),
    ("R19", "非常不满意", _R, "valid", 3),
    ("R20", "ok", _R, "invalid", None),
    ("R26", "ＴＤ", _R, "opt_out", None),
    ("R27", "3 太慢了", _R, "valid", 3),
    ("R28", "退订", _R, "opt_out", None),
    ("R29", "还行吧", _R, "valid", 2),
    ("R30", "１２", _R, "invalid", None),
]

SMS_RATINGS = [_rating(iid, _D, text, at) for iid, text, at, _, _ in PARSE_CASES]
SMS_RATINGS += [
    # failed delivery: excluded everywhere, whatever the reply.
    _rating("R13", _D, "1", _R, delivered=False),
    # every full-width character and the ideographic space (normalisation test; failed
    # delivery, so it counts nowhere).
    _rating("R31", _D, FULL_WIDTH, _R, delivered=False),
    # 2025-03-09, hotline agent S3: no reply yet, inside 48 h (not assessed)...
    _rating("R21", "2025-03-09 12:00:00", None, channel="hotline", hall=None, staff="S3"),
    # ...a valid reply...
    _rating(
        "R22",
        "2025-03-09 13:00:00",
        "1",
        "2025-03-09 14:00:00",
        channel="hotline",
        hall=None,
        staff="S3",
        service="业务咨询",
    ),
    # ...and a reply after as_of: no reply yet, not assessed.
    _rating(
        "R23",
        "2025-03-09 13:00:00",
        "2",
        "2025-03-10 13:00:00",
        channel="hotline",
        hall=None,
        staff="S3",
        service="业务咨询",
    ),
    # online hall, no hall: hall segment 'unknown'.
    _rating(
        "R25",
        "2025-03-09 10:00:00",
        "3",
        "2025-03-09 11:00:00",
        channel="online_hall",
        hall=None,
        staff=None,
        service="套餐变更",
    ),
    # invited after as_of: absent.
    _rating("R24", "2025-03-10 12:00:01", None),
]


def _bulk(prefix: str, staff: str, hall: str, codes: list[int]) -> list[dict[str, Any]]:
    """February invitations of one staff member, one valid reply per code given."""
    return [
        _rating(
            f"{prefix}{n:03d}",
            "2025-02-12 10:00:00",
            str(code),
            "2025-02-12 10:30:00",
            staff=staff,
            hall=hall,
        )
        for n, code in enumerate(codes)
    ]


# February, team hall: S2 36 x 1 + 4 x 3 (p = 0.9, n = 40); S4 30 x 1 (p = 1, n = 30);
# S1 29 x 1 (p = 1, n = 29: too few to rank, though its bound is higher than S2's).
SMS_RATINGS += _bulk("FS2-", "S2", "H1", [1] * 36 + [3] * 4)
SMS_RATINGS += _bulk("FS4-", "S4", "H2", [1] * 30)
SMS_RATINGS += _bulk("FS1-", "S1", "H1", [1] * 29)
# A rating of a staff member who is not loaded: an orphan, left out of the staff table.
SMS_RATINGS += [_rating("RX1", "2025-02-12 10:00:00", "1", "2025-02-12 10:30:00", staff="S77")]


def _call(cid: str, customer: int, start: str, agent: str) -> dict[str, Any]:
    begin = ts(start)
    return {
        "call_id": cid,
        **_customer(customer),
        "call_start_at": begin,
        "ivr_exit_at": begin.replace(second=20),
        "ivr_outcome": "agent_request",
        "queue": "billing",
        "queued_at": begin.replace(second=30),
        "answered_at": begin.replace(second=40),
        "agent_id": agent,
        "call_end_at": begin.replace(minute=5),
    }


# S3 in March: 3 answered calls. C1 is repeated by C2 within 24 h (not resolved); C2's
# window is over (resolved); C3's window is still open (not assessed). FCR 1 / 2.
HOTLINE_CALLS = [
    _call("C1", 1, "2025-03-05 10:00:00", "S3"),
    _call("C2", 1, "2025-03-05 20:00:00", "S3"),
    _call("C3", 2, "2025-03-10 11:00:00", "S3"),
]

ROWS = {
    "halls": HALLS,
    "staff": STAFF,
    "subscribers": SUBSCRIBERS,
    "complaints": COMPLAINTS,
    "complaint_events": COMPLAINT_EVENTS,
    "sms_ratings": SMS_RATINGS,
    "hotline_calls": HOTLINE_CALLS,
}
