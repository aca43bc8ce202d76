# SPDX-License-Identifier: EUPL-1.2
"""A horizontal bar chart as SVG geometry, for a template to draw with presentation attributes
only (the CSP allows no style attributes). Right-to-left pages get the mirror image."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 720
ROW = 44
TOP = 8
LABEL_SPACE = 250  # the labels, on the start side
AMOUNT_SPACE = 130  # the amount after the longest bar
BAR_HEIGHT = 26


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # translated already
    amount: str  # formatted already
    cents: int
    tone: str  # the fill colour (hex): contrast with white ≥ 3:1
    bar_x: float
    bar_y: float
    bar_width: float
    label_x: float
    amount_x: float
    text_y: float
    rule_after: bool = False  # a line under this bar (the income above, its uses below)
    share: float = 0.0  # the bar's length as a percentage of the longest (for the PDF)


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    rtl: bool
    rules: tuple[float, ...]


def bar_chart(rows: list[tuple[str, str, int, str, bool]], *, rtl: bool) -> Chart:
    """``rows``: (label, formatted amount, cents, colour, rule after) → the chart's geometry."""
    largest = max((cents for _, _, cents, _, _ in rows), default=0) or 1
    track = WIDTH - LABEL_SPACE - AMOUNT_SPACE
    bars, rules = [], []
    for index, (label, amount, cents, tone, rule_after) in enumerate(rows):
        y = TOP + index * ROW
        width = max(2.0, round(track * cents / largest, 1)) if cents else 0.0
        if rtl:
            bar_x = WIDTH - LABEL_SPACE - width
            label_x = WIDTH - 8.0
            amount_x = bar_x - 8
        else:
            bar_x = float(LABEL_SPACE)
            label_x = 8.0
            amount_x = bar_x + width + 8
        bar_y = y + (ROW - BAR_HEIGHT) / 2
        bars.append(
            Bar(label, amount, cents, tone, bar_x, bar_y, width, label_x, amount_x,
                bar_y + BAR_HEIGHT / 2 + 6, rule_after, round(100 * cents / largest, 1))
        )  # fmt: skip
        if rule_after:
            rules.append(y + ROW)
    return Chart(WIDTH, TOP * 2 + len(rows) * ROW, tuple(bars), rtl, tuple(rules))
