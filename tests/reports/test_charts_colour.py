"""Colours a colour-blind reader can tell apart, shapes beside them, and chart labels that neither
collide nor get cut.

The colour checks simulate deuteranopia and protanopia with the matrices of Machado, Oliveira &
Fernandes (2009, severity 1.0) applied to linear RGB, and measure CIE76 ΔE in CIELAB (D65), all
written out here rather than taken from the code under test. Threshold: ΔE76 ≥ 20. One unit is
about a just-noticeable difference for patches side by side; markers in a scatter are small and
far apart, so they need many times that. The pair the review found unreadable (missing vs normal
dependence) had fallen to 17, and the closest pair of the Okabe–Ito set under normal vision (sky
blue vs blue) is 26: 20 keeps every pair clearly apart and is reachable by a seven-colour set.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from matplotlib.backend_bases import ResizeEvent
from matplotlib.figure import Figure
from matplotlib.text import Text
from pypdf import PdfReader

from riskdesk.charts import (
    dimension_scores_figure,
    exposure_figure,
    risk_matrix_figure,
    type_scores_figure,
)
from riskdesk.charts.style import LEVEL_COLOURS, MARKERS, OUTCOME_COLOURS, TYPE_COLOURS, wrap_label
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import LEVEL_ORDER, OUTCOME_ORDER
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.fonts import ensure_fonts
from tests.reports.sample import sample_run

MIN_DELTA_E = 20.0

# Machado et al. 2009, severity 1.0, rows give the simulated linear R, G, B.
DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)
PROTANOPIA = (
    (0.152286, 1.052583, -0.204868),
    (0.114503, 0.786281, 0.099216),
    (-0.003882, -0.048116, 1.051998),
)
IDENTITY = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
VISIONS = {"normal": IDENTITY, "deuteranopia": DEUTERANOPIA, "protanopia": PROTANOPIA}

Matrix = tuple[tuple[float, float, float], ...]


def _linear(hex_colour: str) -> list[float]:
    channels = [int(hex_colour.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _lab(hex_colour: str, vision: Matrix) -> tuple[float, float, float]:
    rgb = _linear(hex_colour)
    r, g, b = (
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in vision
    )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _delta_e(a: str, b: str, vision: Matrix) -> float:
    la, lb = _lab(a, vision), _lab(b, vision)
    return sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5


def test_lab_conversion_matches_known_values() -> None:
    """The helper itself: white is L 100, sRGB red is L 53.2 a 80.1 b 67.2 (CIE76 references)."""
    assert _lab("#FFFFFF", IDENTITY)[0] == pytest.approx(100.0, abs=0.01)
    assert _lab("#FF0000", IDENTITY) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)
    # red and green, distinct to normal vision, collapse under deuteranopia
    assert _delta_e("#FF0000", "#00A000", IDENTITY) > 80
    assert _delta_e("#D00000", "#708000", DEUTERANOPIA) < 15


def _outcome_colours() -> dict[str, str]:
    return {
        **{o.value: OUTCOME_COLOURS[o] for o in OUTCOME_ORDER},
        "exposure": TYPE_COLOURS["exposure"],
    }


@pytest.mark.parametrize("vision", list(VISIONS))
def test_every_pair_of_outcome_colours_stays_apart(vision: str) -> None:
    colours = _outcome_colours()
    assert len(colours) == 7
    close = [
        (a, b, round(_delta_e(colours[a], colours[b], VISIONS[vision]), 1))
        for a, b in itertools.combinations(colours, 2)
        if _delta_e(colours[a], colours[b], VISIONS[vision]) < MIN_DELTA_E
    ]
    assert close == []


@pytest.mark.parametrize("vision", list(VISIONS))
def test_level_ramp_darkens_with_the_level(vision: str) -> None:
    lightness = [_lab(LEVEL_COLOURS[lv], VISIONS[vision])[0] for lv in LEVEL_ORDER]
    assert all(a > b + 10 for a, b in itertools.pairwise(lightness)), lightness


def test_no_colour_means_both_a_type_and_a_level() -> None:
    types = {c.upper() for c in _outcome_colours().values()}
    levels = {c.upper() for c in LEVEL_COLOURS.values()}
    assert len(levels) == len(LEVEL_ORDER)
    assert not types & levels


def test_every_outcome_has_its_own_shape() -> None:
    kinds = [o.value for o in OUTCOME_ORDER] + ["exposure"]
    assert len({MARKERS[k].code for k in kinds}) == len(kinds)
    assert len({MARKERS[k].polygon for k in kinds}) == len(kinds)


def _renderer(fig: Figure) -> object:
    fig.canvas.draw()
    return fig.canvas.get_renderer()  # type: ignore[attr-defined]


def _labels(fig: Figure) -> list[Text]:
    return [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("matrix-label:")]


@pytest.fixture(scope="module")
def big_run(taxonomy: Taxonomy) -> AssessmentRun:
    return sample_run(taxonomy, 300)[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_matrix_of_300_chains_labels_the_top_25_without_collisions(
    big_run: AssessmentRun, taxonomy: Taxonomy, lang: str
) -> None:
    ensure_fonts()
    fig = risk_matrix_figure(big_run.chains, taxonomy, lang)  # type: ignore[arg-type]
    renderer = _renderer(fig)
    ax = fig.axes[0]
    plotted = [c for c in big_run.chains if c.gap is not None and c.exposure is not None]
    assert len(plotted) > 200
    ranked = sorted(plotted, key=lambda c: (-(c.primary_score or 0.0), c.chain_id))
    spots: dict[tuple[int, int], str] = {}  # chains within half a percent share one marker
    for c in ranked:
        spot = (round((c.gap or 0) * 200), round((c.exposure or 0) * 200))
        if spot not in spots and len(spots) < 25:
            spots[spot] = c.chain_id
    labels = _labels(fig)
    firsts = [(t.get_gid() or "").removeprefix("matrix-label:").split(",")[0] for t in labels]
    assert firsts == list(spots.values())
    boxes = [t.get_window_extent(renderer) for t in labels]  # type: ignore[arg-type]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    frame = ax.get_window_extent(renderer)  # type: ignore[arg-type]
    rule = taxonomy.scoring.normal_dependence
    gate_x = ax.transData.transform((rule.gap_min, 0))[0]
    gate_y = ax.transData.transform((0, rule.exposure_max))[1]
    for box in boxes:
        assert frame.x0 < box.x0 and box.x1 < frame.x1
        assert frame.y0 < box.y0 and box.y1 < frame.y1
        assert not box.x0 <= gate_x <= box.x1  # no name under the dashed guide lines
        assert not box.y0 <= gate_y <= box.y1
    title = ax.title.get_window_extent(renderer)  # type: ignore[arg-type]
    assert title.y0 >= frame.y1  # the title sits above the plot, over no point or name
    # each outcome drawn is in the legend with its own marker shape
    shapes = {
        coll.get_label(): tuple(map(tuple, coll.get_paths()[0].vertices.round(3)))
        for coll in ax.collections
    }
    assert len(set(shapes.values())) == len(shapes) >= 3
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert sorted(legend) == sorted(shapes)


def test_matrix_names_are_placed_again_when_the_window_shrinks(
    big_run: AssessmentRun, taxonomy: Taxonomy
) -> None:
    """The GUI resizes the figure to its widget; the names must stay apart at the new size."""
    ensure_fonts()
    fig = risk_matrix_figure(big_run.chains, taxonomy, "en")
    fig.set_size_inches(4.8, 3.4)
    ResizeEvent("resize_event", fig.canvas)._process()  # what a resized Qt canvas sends
    renderer = _renderer(fig)
    frame = fig.axes[0].get_window_extent(renderer)  # type: ignore[arg-type]
    boxes = [t.get_window_extent(renderer) for t in _labels(fig)]  # type: ignore[arg-type]
    assert len(boxes) >= 10  # a smaller chart has room for fewer names, but not for none
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    assert all(
        frame.x0 < b.x0 and b.x1 < frame.x1 and frame.y0 < b.y0 and b.y1 < frame.y1 for b in boxes
    )


def test_chains_on_one_spot_share_a_name_that_counts_them(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    """80 copies of one chain are one point: labelled once, saying how many, and the other
    points still get their names (the 25 labels are not spent on one spot)."""
    ensure_fonts()
    run = demo[0]
    placed = [c for c in run.chains if c.gap is not None and c.exposure is not None]
    top = max(placed, key=lambda c: c.primary_score or 0.0)
    copies = [top.model_copy(update={"chain_id": f"ZZ-COPY{k:02d}"}) for k in range(79)]
    fig = risk_matrix_figure([*run.chains, *copies], taxonomy, "en")
    texts = {(t.get_gid() or "").split(",")[0]: t.get_text() for t in _labels(fig)}
    assert " ".join(texts[f"matrix-label:{top.chain_id}"].split()).endswith("and 79 more")
    assert len(texts) == len({(c.gap, c.exposure) for c in placed})  # every other spot named


def test_matrix_names_are_wrapped_not_cut(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    ensure_fonts()
    run = demo[0]
    long_name = "Advanced semiconductor lithography photoresist materials"
    chain = run.chains[0].model_copy(update={"chain_name": long_name})
    fig = risk_matrix_figure([chain, *run.chains[1:]], taxonomy, "en")
    label = next(t for t in _labels(fig) if t.get_gid() == f"matrix-label:{chain.chain_id}")
    assert " ".join(label.get_text().split()) == long_name
    assert "\n" in label.get_text()
    assert "…" not in label.get_text()


def _straddles(box: object, frame: object) -> bool:
    """A box that is partly inside and partly outside the frame crosses it."""
    b, f = box, frame
    inside = f.x0 <= b.x0 and b.x1 <= f.x1 and f.y0 <= b.y0 and b.y1 <= f.y1  # type: ignore[attr-defined]
    outside = b.x1 <= f.x0 or b.x0 >= f.x1 or b.y1 <= f.y0 or b.y0 >= f.y1  # type: ignore[attr-defined]
    return not (inside or outside)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chain_charts_write_no_text_across_the_frame_or_the_title(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, lang: str
) -> None:
    ensure_fonts()
    for chain in demo[0].chains:
        for build in (type_scores_figure, dimension_scores_figure, exposure_figure):
            fig = build(chain, taxonomy, lang)  # type: ignore[arg-type]
            if not fig.axes:
                continue
            renderer = _renderer(fig)
            ax = fig.axes[0]
            frame = ax.get_window_extent(renderer)  # type: ignore[arg-type]
            title = ax.title.get_window_extent(renderer)  # type: ignore[arg-type]
            for text in ax.texts:
                box = text.get_window_extent(renderer)  # type: ignore[arg-type]
                assert not _straddles(box, frame), (build.__name__, chain.chain_id, text.get_text())
                assert not box.overlaps(title), (build.__name__, chain.chain_id, text.get_text())
            ticks = [t.get_text() for t in ax.get_yticklabels()]
            assert not any("…" in t for t in ticks)


def test_exposure_gate_is_named_with_its_value(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    chain = next(c for c in demo[0].chains if c.exposure is not None)
    fig = exposure_figure(chain, taxonomy, "en")
    assert f"gate {chain.exposure:.2f}" in fig.axes[0].get_title()


def _pdf_words(path: Path) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def test_long_english_labels_appear_whole_in_the_dossier(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    """Used to print "Weak basic research and original innovati…" and "Insuff…"."""
    chain: ChainResult = demo[0].chains[0]
    text = _pdf_words(demo_pdfs["dossier_en"])
    for dim in taxonomy.capability_dimensions:
        assert taxonomy.label(dim, "en") in text
    assert "Weak basic research and original innovation" in text
    insufficient = [
        d for d in chain.dimension_scores.values() if d.score is not None and not d.sufficient
    ]
    assert insufficient  # the demo's first chain has a dimension short of evidence
    assert text.count("Insufficient evidence") >= len(insufficient)
    assert "innovati…" not in text and "Insuff…" not in text


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("No dominant risk; monitor", 16, ["No dominant", "risk; monitor"]),
        ("新能源汽车动力电池", 16, ["新能源汽车", "动力电池"]),  # balanced, no "池" alone
        ("关键矿产（钴、锂、镍）", 12, ["关键矿产", "（钴、", "锂、镍）"]),
        ("Substitutability", 8, ["Substitutability"]),  # a word is never cut
    ],
)
def test_labels_wrap_between_words_and_keep_punctuation_attached(
    text: str, width: int, expected: list[str]
) -> None:
    assert wrap_label(text, width).split("\n") == expected
