"""Tile map of the provinces (省级托位分布瓦片图), rendered on the server as SVG data.

Each of the 31 province-level divisions is one square tile on a hand-made grid that
keeps rough neighbourhoods (north-east top right, Xinjiang and Tibet left, Hainan at the
bottom). Tiles are coloured by places per 1,000 people in bands around the 4.5 target;
the page shows the same figures in a table beside the map, so the colour is never the
only carrier of the information.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: prefix → (column, row, short Chinese name, English name, English abbreviation)
LAYOUT: dict[str, tuple[int, int, str, str, str]] = {
    "23": (7, 0, "黑", "Heilongjiang", "HL"),
    "15": (4, 1, "蒙", "Inner Mongolia", "NM"),
    "11": (5, 1, "京", "Beijing", "BJ"),
    "21": (6, 1, "辽", "Liaoning", "LN"),
    "22": (7, 1, "吉", "Jilin", "JL"),
    "65": (0, 2, "新", "Xinjiang", "XJ"),
    "62": (1, 2, "甘", "Gansu", "GS"),
    "64": (2, 2, "宁", "Ningxia", "NX"),
    "14": (3, 2, "晋", "Shanxi", "SX"),
    "13": (4, 2, "冀", "Hebei", "HE"),
    "12": (5, 2, "津", "Tianjin", "TJ"),
    "63": (1, 3, "青", "Qinghai", "QH"),
    "61": (2, 3, "陕", "Shaanxi", "SN"),
    "41": (3, 3, "豫", "Henan", "HA"),
    "37": (4, 3, "鲁", "Shandong", "SD"),
    "54": (0, 4, "藏", "Tibet", "XZ"),
    "51": (1, 4, "川", "Sichuan", "SC"),
    "50": (2, 4, "渝", "Chongqing", "CQ"),
    "42": (3, 4, "鄂", "Hubei", "HB"),
    "34": (4, 4, "皖", "Anhui", "AH"),
    "32": (5, 4, "苏", "Jiangsu", "JS"),
    "31": (6, 4, "沪", "Shanghai", "SH"),
    "52": (1, 5, "贵", "Guizhou", "GZ"),
    "43": (2, 5, "湘", "Hunan", "HN"),
    "36": (3, 5, "赣", "Jiangxi", "JX"),
    "33": (4, 5, "浙", "Zhejiang", "ZJ"),
    "53": (1, 6, "云", "Yunnan", "YN"),
    "45": (2, 6, "桂", "Guangxi", "GX"),
    "44": (3, 6, "粤", "Guangdong", "GD"),
    "35": (4, 6, "闽", "Fujian", "FJ"),
    "46": (3, 7, "琼", "Hainan", "HI"),
}

TILE = 64
GAP = 4
COLUMNS = 8
ROWS = 8

#: (upper bound exclusive or None, fill, text colour, legend label); contrast ≥ 4.5:1.
BANDS: tuple[tuple[Decimal | None, str, str, object], ...] = (
    (Decimal("1"), "#f1f4f8", "#1b2a3a", _("低于1")),
    (Decimal("2"), "#c9dcf0", "#1b2a3a", _("1—2")),
    (Decimal("3"), "#86b0dc", "#0b1a2a", _("2—3")),
    (Decimal("4.5"), "#2f6fb3", "#ffffff", _("3—4.5")),
    (None, "#12406f", "#ffffff", _("达到4.5及以上")),
)


@dataclass(frozen=True)
class Tile:
    """One province tile: position in px, link, label, value and colours."""

    code: str
    x: int
    y: int
    label: str
    name: str
    value: Decimal | None
    fill: str
    text: str
    title: str


def band_of(value: Decimal | None) -> int:
    """Index of the colour band of ``value`` (places per 1,000); None counts as the lowest."""
    if value is None:
        return 0
    for index, (upper, *_rest) in enumerate(BANDS):
        if upper is None or value < upper:
            return index
    return len(BANDS) - 1


def english_name(code: str, default: str = "") -> str:
    """The English name of the province with 6-digit ``code`` (``default`` when unknown)."""
    entry = LAYOUT.get(code[:2])
    return entry[3] if entry else default


def display_name(area) -> str:
    """The name of a province to show in the active language (English name in English)."""
    if (get_language() or "").startswith("en"):
        return english_name(area.code, area.name)
    return area.name


def tiles(figures) -> list[Tile]:
    """Tiles for province figures (:func:`tuoyu.disclosure.selectors.province_figures`)."""
    english = (get_language() or "").startswith("en")
    result = []
    for area in figures:
        entry = LAYOUT.get(area.code[:2])
        if entry is None:
            continue
        col, row, short, name_en, abbr = entry
        _upper, fill, text, _label = BANDS[band_of(area.per_1000)]
        name = name_en if english else area.name
        value = area.per_1000
        result.append(Tile(
            code=area.code, x=col * (TILE + GAP), y=row * (TILE + GAP),
            label=abbr if english else short, name=name, value=value, fill=fill, text=text,
            title=f"{name}: {value if value is not None else '—'}",
        ))
    return result


def legend() -> list[tuple[str, str]]:
    """(fill, label) of each band, lowest first."""
    return [(fill, str(label)) for _upper, fill, _text, label in BANDS]


WIDTH = COLUMNS * (TILE + GAP)
HEIGHT = ROWS * (TILE + GAP)
