"""Chart builders: matplotlib Figures from core results, for the reports and the GUI alike.

No pyplot and no Qt here: every builder returns a `matplotlib.figure.Figure` attached to an Agg
canvas. The reports render it to PNG/SVG bytes (`render_png`, `render_svg`); the GUI embeds the
same Figure in a FigureCanvasQTAgg. Call `use_font(path)` once with the CJK font file so Chinese
labels render (the reports do this through `riskdesk.reports.fonts`).
"""

from riskdesk.charts.chain import (
    dimension_scores_figure,
    exposure_figure,
    radar_figure,
    trend_figure,
    type_scores_figure,
)
from riskdesk.charts.portfolio import distribution_figure, risk_matrix_figure
from riskdesk.charts.style import (
    LEVEL_COLOURS,
    OUTCOME_COLOURS,
    TYPE_COLOURS,
    render_png,
    render_svg,
    use_font,
)

__all__ = [
    "LEVEL_COLOURS",
    "OUTCOME_COLOURS",
    "TYPE_COLOURS",
    "dimension_scores_figure",
    "distribution_figure",
    "exposure_figure",
    "radar_figure",
    "render_png",
    "render_svg",
    "risk_matrix_figure",
    "trend_figure",
    "type_scores_figure",
    "use_font",
]
