"""
Figures published without singling anyone out: a count below SMALL_COUNT reads
"moins de 5", a share computed from so few is withheld, and a withheld figure draws
no bar. The indicators of HR and the quality results of the questionnaires use them.
"""

from dataclasses import dataclass

# Below this many people a figure could single someone out: counts, averages and
# delays computed on fewer are withheld (questionnaires in cohorts, indicators in bpp.pages).
SMALL_COUNT = 5


@dataclass
class Figure:
    """A count that knows whether it may be published as is."""

    value: int | float | None

    @property
    def is_small(self) -> bool:
        return isinstance(self.value, int) and 0 < self.value < SMALL_COUNT

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        if self.is_small:
            return f"moins de {SMALL_COUNT}"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".replace(".", ",")
        return f"{self.value:,}".replace(",", "\u202f")


def share(part: int, whole: int) -> Figure:
    """A percentage, withheld when the part or the whole is small enough to identify."""
    if whole == 0 or Figure(part).is_small or Figure(whole).is_small:
        return Figure(None)
    return Figure(round(100 * part / whole, 1))


@dataclass
class Bar:
    label: str
    width: float  # percent of the largest value; 0 when withheld
    figure: Figure


def bars(items: list[tuple[str, Figure]]) -> list[Bar]:
    """Horizontal bars for a chart; a withheld figure draws no bar (its size would tell)."""
    shown = [f.value for _, f in items if f.value is not None and not f.is_small]
    top = max(shown, default=0) or 1
    return [
        Bar(label, 0 if f.value is None or f.is_small else 100 * f.value / top, f)
        for label, f in items
    ]
