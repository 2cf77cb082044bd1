"""What a synthetic dataset looks like: its sizes, its marks, and the words it builds names from."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

# Every text a person may read carries this mark, also in tables that have no `synthetic` column.
MARK = "（合成数据 synthetic）"
SHORT_MARK = "（合成）"
ACTOR = "synthetic-generator"
# Dates are counted from a fixed day, not from today, so one seed always gives the same rows.
REFERENCE_DAY = date(2026, 11, 1)
REFERENCE_TIME = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
OFFICIAL_USERNAME = "synth-official"


def producer_username(producer_id: int) -> str:
    """Sign-in name of the synthetic account acting for a producer."""
    return f"synth-p{producer_id:06d}"


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind to generate; links and areas follow from these."""

    indications: int = 10_000
    producers: int = 100_000
    renewals: int = 300_000
    audits: int = 100_000

    def __post_init__(self) -> None:
        for name in ("indications", "producers"):
            if getattr(self, name) < 1:
                raise ValueError(f"--{name} must be at least 1")
        for name in ("renewals", "audits"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name} cannot be negative")


# (category, Chinese product word, English word): invented combinations of real product types.
PRODUCTS: list[tuple[str, str, str]] = [
    ("tea", "黄茶", "yellow tea"),
    ("tea", "银针", "silver needle tea"),
    ("tea", "毛尖", "maojian tea"),
    ("tea", "黑茶", "dark tea"),
    ("vegetable", "芥菜", "mustard greens"),
    ("vegetable", "辣椒", "chili"),
    ("vegetable", "莲藕", "lotus root"),
    ("vegetable", "藠头", "Chinese onion"),
    ("fruit", "柑橘", "citrus"),
    ("fruit", "黄桃", "yellow peach"),
    ("fruit", "杨梅", "bayberry"),
    ("grain", "大米", "rice"),
    ("grain", "糯米", "glutinous rice"),
    ("aquatic", "大闸蟹", "mitten crab"),
    ("aquatic", "银鱼", "icefish"),
    ("aquatic", "小龙虾", "crayfish"),
    ("livestock_poultry", "黑猪", "black pig"),
    ("livestock_poultry", "麻鸭", "sheldrake duck"),
    ("medicinal_herb", "百合", "lily bulb"),
    ("medicinal_herb", "玉竹", "Solomon's seal"),
    ("processed_food", "酱干", "soy-braised tofu"),
    ("processed_food", "豆豉", "fermented black beans"),
    ("beverage_alcohol", "甜酒", "sweet rice wine"),
    ("beverage_alcohol", "米酒", "rice wine"),
]
