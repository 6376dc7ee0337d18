"""The operator's products: the tariff catalogue and the value-added services customers order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    family: str  # the brand it is sold under; "any" for plans sold to every brand
    fee_fen: int
    voice_min: int
    sms: int
    data_mb: int
    voice_fen: int  # overage prices, in fen
    sms_fen: int
    data_fen: int
    available_from: date
    available_to: date | None = None


def plans(start: date) -> tuple[Plan, ...]:
    """The catalogue in force around ``start``: two retired plans and one launched mid-period."""
    old = date(2019, 1, 1)
    months = start.month + 1  # zero-based month index two months after start
    launch = date(start.year + months // 12, months % 12 + 1, 1)
    return (
        Plan("EO08", "神州行8元保号套餐", "easyown", 800, 0, 0, 0, 19, 10, 3, old),
        Plan("EO18", "神州行18元畅聊卡", "easyown", 1800, 100, 50, 1024, 15, 10, 3, old),
        Plan("EO38", "神州行38元畅享套餐", "easyown", 3800, 200, 100, 5120, 15, 10, 2, old),
        Plan("MZ19", "动感地带19元芒果卡", "mzone", 1900, 30, 0, 5120, 19, 10, 1, old),
        Plan("MZ29", "动感地带29元潮玩卡", "mzone", 2900, 60, 0, 10240, 19, 10, 1, old),
        Plan("MZ39", "动感地带39元5G宝藏卡", "mzone", 3900, 100, 0, 20480, 19, 10, 1, old),
        Plan("GT58", "全球通58元套餐", "gotone", 5800, 300, 100, 10240, 15, 10, 1, old),
        Plan("GT88", "全球通88元套餐", "gotone", 8800, 500, 200, 20480, 15, 10, 1, old),
        Plan("GT128", "全球通128元套餐", "gotone", 12800, 800, 300, 40960, 15, 10, 1, old),
        Plan("GT188", "全球通188元套餐", "gotone", 18800, 1200, 500, 61440, 15, 10, 1, old),
        Plan("GT288", "全球通288元尊享套餐", "gotone", 28800, 2000, 1000, 102400, 15, 10, 1, old),
        Plan(
            "GT388",
            "全球通388元商旅套餐（停售）",
            "gotone",
            38800,
            3000,
            1000,
            40960,
            15,
            10,
            1,
            date(2015, 3, 1),
            date(2024, 12, 31),
        ),
        Plan(
            "LG76",
            "4G飞享套餐76元（停售）",
            "any",
            7600,
            220,
            0,
            2048,
            19,
            10,
            29,
            date(2014, 6, 1),
            date(2023, 6, 30),
        ),
        Plan("ZX99", "5G智享套餐99元", "any", 9900, 500, 100, 30720, 15, 10, 1, launch),
    )


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    sp_code: str | None  # None: the operator's own product
    billing_type: str
    price_fen: int
    weight: float


PRODUCTS = (
    Product("MG0001", "咪咕视频钻石会员", None, "monthly", 1500, 0.14),
    Product("MG0002", "咪咕音乐白金会员", None, "monthly", 1000, 0.10),
    Product("CL0001", "彩铃", None, "monthly", 500, 0.12),
    Product("LD0001", "来电提醒", None, "monthly", 300, 0.10),
    Product("HC0100", "和彩云100G", None, "monthly", 1000, 0.08),
    Product("SJB001", "手机报（新闻早晚报）", None, "monthly", 300, 0.07),
    Product("YX1201", "游戏大厅畅玩包", "801234", "monthly", 1000, 0.09),
    Product("SP7010", "12580生活播报", "701028", "monthly", 500, 0.06),
    Product("SP9063", "星座运势短信", "906311", "monthly", 200, 0.06),
    Product("SP5566", "彩票资讯", "556612", "monthly", 800, 0.04),
    Product("DB0001", "单次点播电影", None, "per_use", 500, 0.08),
    Product("GM2033", "游戏道具单次购买", "802033", "per_use", 600, 0.06),
)
