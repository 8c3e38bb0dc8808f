"""The bundled measures and diagnostic questions are complete, consistent and bilingual.

The strategy step offers measures per target and the wizard asks questions per dimension; an
analyst relies on every target having something to offer, on every answer landing inside the
indicator's scale, and on the answers covering the whole safe → critical range.
"""

from __future__ import annotations

import re

import pytest

from riskdesk.core.taxonomy import EXPOSURE, Question, Taxonomy, load_taxonomy

CJK = re.compile(r"[\u4e00-\u9fff]")
PAPER_ID = re.compile(r"\b00[0-4]\b")

TAXONOMY: Taxonomy = load_taxonomy()


def _question_ids() -> list[str]:
    return [q.id for q in TAXONOMY.questions]


def _question(qid: str) -> Question:
    return next(q for q in TAXONOMY.questions if q.id == qid)


def _assert_bilingual(zh: str, en: str, where: str) -> None:
    assert zh.strip(), f"{where}: Chinese text is empty"
    assert en.strip(), f"{where}: English text is empty"
    assert zh != en, f"{where}: Chinese and English texts are identical"
    assert CJK.search(zh), f"{where}: Chinese text has no Chinese characters"
    assert not CJK.search(en), f"{where}: English text contains Chinese characters"


def test_default_taxonomy_loads_measures_and_questions() -> None:
    assert len(TAXONOMY.measures) >= 40
    assert len(TAXONOMY.questions) >= 2 * (len(TAXONOMY.capability_dimensions) + 1)


@pytest.mark.parametrize("dimension", [*TAXONOMY.capability_dimensions, EXPOSURE])
def test_every_dimension_has_measures_and_questions(dimension: str) -> None:
    assert 3 <= len(TAXONOMY.measures_for(dimension)) <= 5
    assert len(TAXONOMY.questions_for(dimension)) >= 2


def test_capability_dimensions_are_the_seven_of_paper_003() -> None:
    assert set(TAXONOMY.capability_dimensions) == {
        "lock_in",
        "basic_research",
        "uneconomic_entry",
        "transfer",
        "route_switch",
        "own_capacity",
        "management_system",
    }


@pytest.mark.parametrize(
    "target",
    [
        *(s.id for s in TAXONOMY.sub_strategies),
        *(m.id for m in TAXONOMY.priority_modes),
        "monitor",
        "normal_dependence",
    ],
)
def test_every_strategy_target_has_measures(target: str) -> None:
    assert len(TAXONOMY.measures_for(target)) >= 2


def test_measure_and_question_ids_are_unique_and_prefixed_by_their_target() -> None:
    measure_ids = [m.id for m in TAXONOMY.measures]
    assert len(measure_ids) == len(set(measure_ids))
    question_ids = _question_ids()
    assert len(question_ids) == len(set(question_ids))
    for m in TAXONOMY.measures:
        assert m.id.startswith(f"{m.applies_to}."), m.id
    for q in TAXONOMY.questions:
        assert q.id.startswith(f"{q.dimension}."), q.id


def test_measures_are_bilingual_and_cite_a_paper() -> None:
    for m in TAXONOMY.measures:
        _assert_bilingual(m.title_zh, m.title_en, f"measure {m.id} title")
        _assert_bilingual(m.text_zh, m.text_en, f"measure {m.id} text")
        assert PAPER_ID.search(m.source), f"measure {m.id}: source cites no paper id"
        assert m.title("zh") == m.title_zh
        assert m.text("en") == m.text_en


def test_measure_texts_are_not_repeated() -> None:
    texts = [m.text_en for m in TAXONOMY.measures] + [m.text_zh for m in TAXONOMY.measures]
    assert len(texts) == len(set(texts))


def test_normal_dependence_says_localisation_costs_more_than_it_protects() -> None:
    texts_en = " ".join(m.text_en for m in TAXONOMY.measures_for("normal_dependence"))
    texts_zh = " ".join(m.text_zh for m in TAXONOMY.measures_for("normal_dependence"))
    assert "flood" in texts_en
    assert "pen-tip steel" in texts_en
    assert "防洪" in texts_zh
    assert "笔尖钢" in texts_zh


@pytest.mark.parametrize("qid", _question_ids())
def test_question_rates_an_indicator_that_feeds_its_dimension(qid: str) -> None:
    q = _question(qid)
    indicator = TAXONOMY.indicator_by_id[q.indicator]
    assert indicator.weights.get(q.dimension, 0) > 0


@pytest.mark.parametrize("qid", _question_ids())
def test_question_levels_lie_in_the_indicator_range_and_rise(qid: str) -> None:
    q = _question(qid)
    indicator = TAXONOMY.indicator_by_id[q.indicator]
    values = [level.value for level in q.levels]
    assert len(values) >= 3
    assert values == sorted(values)
    assert len(set(values)) == len(values)
    for v in values:
        if indicator.valid_min is not None:
            assert v >= indicator.valid_min, f"{qid}: {v} below {indicator.valid_min}"
        if indicator.valid_max is not None:
            assert v <= indicator.valid_max, f"{qid}: {v} above {indicator.valid_max}"
    if indicator.kind == "level":
        assert values == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize("qid", _question_ids())
def test_question_levels_span_safe_to_critical(qid: str) -> None:
    q = _question(qid)
    indicator = TAXONOMY.indicator_by_id[q.indicator]
    risks = sorted(indicator.risk(level.value) for level in q.levels)
    assert risks[0] == 0.0, f"{qid}: no answer reaches the safe anchor {indicator.safe}"
    assert risks[-1] == 1.0, f"{qid}: no answer reaches the critical anchor {indicator.critical}"
    # intermediate answers must be distinguishable in risk, not collapse onto an anchor
    assert len(set(risks)) == len(risks), f"{qid}: two answers give the same risk {risks}"


@pytest.mark.parametrize("qid", _question_ids())
def test_question_texts_are_bilingual_and_levels_distinct(qid: str) -> None:
    q = _question(qid)
    _assert_bilingual(q.text_zh, q.text_en, f"question {qid}")
    for level in q.levels:
        where = f"question {qid} level {level.value}"
        _assert_bilingual(level.label_zh, level.label_en, f"{where} label")
        _assert_bilingual(level.description_zh, level.description_en, f"{where} description")
    for field in ("label_zh", "label_en", "description_zh", "description_en"):
        texts = [getattr(level, field) for level in q.levels]
        assert len(set(texts)) == len(texts), f"{qid}: repeated {field}"
