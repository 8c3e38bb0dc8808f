"""Chart builders, report templates and the CJK font."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from matplotlib.patches import Rectangle

from riskdesk.charts import (
    dimension_scores_figure,
    distribution_figure,
    exposure_figure,
    radar_figure,
    render_png,
    risk_matrix_figure,
    trend_figure,
    type_scores_figure,
)
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import RiskType
from riskdesk.core.results import AssessmentRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.fonts import BUNDLED_FONT, FontError, cjk_font_path, ensure_fonts
from riskdesk.reports.templates import TEMPLATES_DIR, load_report_text

PNG = b"\x89PNG\r\n\x1a\n"


def _texts(fig: object) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]  # type: ignore[attr-defined]


def test_every_chart_renders_for_every_demo_chain(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    run, inventory = demo
    ensure_fonts()
    for chain in run.chains[:4]:
        for build in (type_scores_figure, dimension_scores_figure, exposure_figure, radar_figure):
            assert render_png(build(chain, taxonomy, "zh"), dpi=60).startswith(PNG)
    assert render_png(distribution_figure(run.chains, taxonomy, "en"), dpi=60).startswith(PNG)
    assert render_png(risk_matrix_figure(run.chains, taxonomy, "zh"), dpi=60).startswith(PNG)
    series = {k[2]: v for k, v in inventory.series.items() if k[0] == "TEXTILE"}
    assert {"tc_index", "rca_index"} <= set(series)
    fig = trend_figure({k: series[k] for k in ("tc_index", "rca_index")}, taxonomy, "zh")
    assert len(fig.axes) == 2


def test_missing_type_score_is_said_not_drawn_as_zero(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    chain = demo[0].chains[0]
    scores = dict(chain.type_scores)
    scores[RiskType.RESPONSE] = None
    fig = type_scores_figure(chain.model_copy(update={"type_scores": scores}), taxonomy, "en")
    bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert len(bars) == sum(v is not None for v in scores.values())
    assert "no score" in _texts(fig)


def test_insufficient_dimension_is_hatched_grey(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    chain = next(
        c
        for c in demo[0].chains
        if any(not d.sufficient and d.score is not None for d in c.dimension_scores.values())
    )
    fig = dimension_scores_figure(chain, taxonomy, "zh")
    hatched = [p for p in fig.axes[0].patches if p.get_hatch()]
    assert hatched
    assert any("证据不足" in t for t in _texts(fig))


def test_risk_matrix_counts_chains_it_cannot_place(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    run = demo[0]
    left_out = sum(1 for c in run.chains if c.gap is None or c.exposure is None)
    title = risk_matrix_figure(run.chains, taxonomy, "en").axes[0].get_title()
    assert (f"{left_out} without data" in title) == (left_out > 0)


def test_chart_png_is_deterministic(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    chain = demo[0].chains[0]
    a = render_png(radar_figure(chain, taxonomy, "zh"), dpi=80)
    b = render_png(radar_figure(chain, taxonomy, "zh"), dpi=80)
    assert a == b


def _keys(data: dict[str, object], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for k, v in data.items():
        if isinstance(v, dict):
            out |= _keys(v, f"{prefix}{k}.")
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            out |= {f"{prefix}{k}[{i}].{kk}" for i, item in enumerate(v) for kk in item}
        else:
            out.add(prefix + k)
    return out


def test_templates_have_the_same_keys_in_both_languages() -> None:
    zh = tomllib.loads((TEMPLATES_DIR / "zh" / "report.toml").read_text(encoding="utf-8"))
    en = tomllib.loads((TEMPLATES_DIR / "en" / "report.toml").read_text(encoding="utf-8"))
    assert _keys(zh) == _keys(en)
    assert len(zh["methodology"]["formulas"]) == len(en["methodology"]["formulas"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_covers_every_strategy_and_cites_papers(lang: str, taxonomy: Taxonomy) -> None:
    text = load_report_text(lang)  # type: ignore[arg-type]
    assert set(text.strategies) == {s.id for s in taxonomy.strategies}
    for narrative in text.strategies.values():
        assert "003" in narrative or "002" in narrative
    assert [p.id for p in text.papers] == ["000", "001", "002", "003", "004"]
    assert set(text.tech_categories) == {"emerging", "core", "foundational", "mature"}


def test_font_bundled_with_licence_and_configurable(tmp_path: Path) -> None:
    assert cjk_font_path() == BUNDLED_FONT
    assert (BUNDLED_FONT.parent / "LICENSE-wqy-microhei.txt").is_file()
    with pytest.raises(FontError, match="not found"):
        cjk_font_path(tmp_path / "none.ttf")
    registered = ensure_fonts()
    assert registered.chart_family == "WenQuanYi Micro Hei"
    assert ensure_fonts() is registered
