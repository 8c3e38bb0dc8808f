"""Point labels that avoid each other, the axes frame and the chart's guide lines.

A greedy placement: labels are placed in the order given (most important first); each tries
offsets around its point, nearest first, in eight directions, and takes the cheapest one whose box
lies inside the frame and touches no placed label, guide line or caption. Covering other points
costs extra but is allowed (a dense matrix has no free space around every point). A label that
fits nowhere is left off, and the caller learns which were placed (their Text's gid).
Measured with the figure's renderer after the layout has run, so the boxes are the drawn ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from riskdesk.charts.style import INK, MUTED, chart_style

RADII_PT = (3.0, 7.0, 12.0, 18.0, 26.0, 36.0, 48.0)
"""Distances (points) tried between a point and its label; from `LEADER_FROM_PT` on, a thin
leader line joins them."""
LEADER_FROM_PT = 10.0
_DIRECTIONS = tuple(math.radians(a) for a in (45, 135, 315, 225, 0, 180, 90, 270))
_PAD_PX = 1.5  # clearance kept around every label box
_HALO = {"boxstyle": "square,pad=0.08", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
_POINT_COST = 20.0  # cost (in points of distance) of covering another chain's marker


@dataclass(frozen=True)
class PointLabel:
    text: str
    x: float  # data coordinates of the labelled point
    y: float
    gid: str


def settle_layout(fig: Figure) -> None:
    """Run the figure's layout now, so axes positions are final before labels are measured."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)


def guide_boxes(ax: Axes, xs: Sequence[float] = (), ys: Sequence[float] = ()) -> list[Bbox]:
    """Thin boxes along vertical lines at data `xs` and horizontal lines at data `ys`."""
    frame = ax.get_window_extent()
    out: list[Bbox] = []
    for x in xs:
        px = float(ax.transData.transform((x, 0.0))[0])
        out.append(Bbox([[px - 1.0, frame.y0], [px + 1.0, frame.y1]]))
    for y in ys:
        py = float(ax.transData.transform((0.0, y))[1])
        out.append(Bbox([[frame.x0, py - 1.0], [frame.x1, py + 1.0]]))
    return out


def _overlaps(a: Bbox, b: Bbox) -> bool:
    return bool(
        a.x0 < b.x1 + _PAD_PX
        and b.x0 < a.x1 + _PAD_PX
        and a.y0 < b.y1 + _PAD_PX
        and b.y0 < a.y1 + _PAD_PX
    )


def place_labels(
    ax: Axes,
    labels: Sequence[PointLabel],
    *,
    points: Sequence[tuple[float, float]],
    obstacles: Callable[[], Sequence[Bbox]] = lambda: (),
    fontsize: float = 6.5,
) -> list[Text]:
    """Place `labels` (most important first); return the Texts placed, in the same order.

    `obstacles` gives the boxes (display coordinates) to keep clear of, measured when called.
    The figure places them again whenever it is resized (a chart in a window), so they stay
    clear of each other at any size.
    """
    labeller = _Labeller(ax, labels, points, obstacles, fontsize)
    fig = ax.get_figure()
    assert fig is not None
    fig.canvas.mpl_connect("resize_event", lambda _event: labeller.place())
    return labeller.place()


class _Labeller:
    def __init__(
        self,
        ax: Axes,
        labels: Sequence[PointLabel],
        points: Sequence[tuple[float, float]],
        obstacles: Callable[[], Sequence[Bbox]],
        fontsize: float,
    ) -> None:
        self.ax = ax
        self.labels = list(labels)
        self.points = list(points)
        self.obstacles = obstacles
        self.fontsize = fontsize
        self.drawn: list[Artist] = []

    def place(self) -> list[Text]:
        with chart_style():  # also when called later, on a resize: text takes its font now
            return self._place()

    def _place(self) -> list[Text]:
        ax = self.ax
        for artist in self.drawn:
            artist.remove()
        self.drawn = []
        fig = ax.get_figure()
        assert isinstance(fig, Figure)
        settle_layout(fig)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        px_per_pt = fig.dpi / 72.0
        marker_px = 3.0 * px_per_pt  # about half the width of a marker of 30 pt²
        frame = ax.get_window_extent(renderer)
        inner = Bbox([[frame.x0 + 2, frame.y0 + 2], [frame.x1 - 2, frame.y1 - 2]])
        pts = ax.transData.transform(np.asarray(self.points, dtype=float).reshape(-1, 2))
        qx, qy = pts[:, 0], pts[:, 1]
        placed: list[Bbox] = list(self.obstacles())
        out: list[Text] = []
        for label in self.labels:
            px, py = (float(v) for v in ax.transData.transform((label.x, label.y)))
            text = ax.text(label.x, label.y, label.text, fontsize=self.fontsize, color=INK,
                           ha="left", va="bottom", linespacing=1.05, zorder=4,
                           gid=label.gid, in_layout=False, bbox=_HALO)  # fmt: skip
            size = text.get_window_extent(renderer)
            w, h = size.width, size.height
            best: tuple[float, Bbox, float] | None = None
            for radius in RADII_PT:
                r = radius * px_per_pt + marker_px
                for angle in _DIRECTIONS:
                    dx, dy = math.cos(angle), math.sin(angle)
                    x0 = px + r * dx - (w if dx < -0.3 else (w / 2 if abs(dx) <= 0.3 else 0))
                    y0 = py + r * dy - (h if dy < -0.3 else (h / 2 if abs(dy) <= 0.3 else 0))
                    box = Bbox([[x0, y0], [x0 + w, y0 + h]])
                    if not inner.contains(x0, y0) or not inner.contains(x0 + w, y0 + h):
                        continue
                    if any(_overlaps(box, other) for other in placed):
                        continue
                    covered = int(
                        np.count_nonzero(
                            (qx > x0 - marker_px)
                            & (qx < x0 + w + marker_px)
                            & (qy > y0 - marker_px)
                            & (qy < y0 + h + marker_px)
                        )
                    )
                    covered -= int(x0 - marker_px < px < x0 + w + marker_px
                                   and y0 - marker_px < py < y0 + h + marker_px)  # fmt: skip
                    cost = radius + _POINT_COST * covered
                    if best is None or cost < best[0]:
                        best = (cost, box, radius)
                if best is not None and best[0] <= radius:  # nothing further out is cheaper
                    break
            if best is None:
                text.remove()
                continue
            _, box, radius = best
            x, y = ax.transData.inverted().transform((box.x0, box.y0))
            text.set_position((float(x), float(y)))
            placed.append(box)
            out.append(text)
            self.drawn.append(text)
            if radius >= LEADER_FROM_PT:
                self.drawn.append(_leader(ax, (px, py), box))
        return out


def _leader(ax: Axes, point: tuple[float, float], box: Bbox) -> Line2D:
    """A thin line from the point to the nearest edge of its label."""
    px, py = point
    ex = min(max(px, box.x0), box.x1)
    ey = min(max(py, box.y0), box.y1)
    inv = ax.transData.inverted()
    (x1, y1), (x2, y2) = inv.transform((px, py)), inv.transform((ex, ey))
    line = Line2D([x1, x2], [y1, y2], color=MUTED, linewidth=0.5, zorder=2, in_layout=False)
    ax.add_line(line)
    return line
