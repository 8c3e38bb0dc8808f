"""The words of the report's narrative parts (executive summary, limitations, data sources,
references, supplier breakdown, figure and table captions), zh and en side by side like
scenario_words.py. `say(key, lang, **values)` fills a frame; a key is never printed raw.

Numbers are joined to their symbols and units with a no-break space (U+00A0) where the frames
put them, so a line never ends between "0.77" and what it measures."""

from __future__ import annotations

from typing import Any

from riskdesk.core.models import Lang

NB = "\u00a0"
"""No-break space: keeps a number with its unit or symbol on one line."""

TEXT: dict[str, tuple[str, str]] = {
    # --- executive summary ---------------------------------------------------------------------
    "summary_heading": ("执行摘要", "Executive summary"),
    "summary_count": (
        "本报告评估了 {count} 条产业链，按主要类型分：{breakdown}。",
        "This report assesses {count} chains; by primary type: {breakdown}.",
    ),
    "summary_levels": (
        "按主要类型的风险等级分：{breakdown}。",
        "By risk level of the primary type: {breakdown}.",
    ),
    "summary_levels_none": (
        "{count} 条没有达到判定阈值的能力风险类型，因而没有风险等级。",
        " {count} chain(s) have no capability risk type above the threshold, hence no risk level.",
    ),
    "summary_top": (
        "风险得分最高的是{names}。",
        "The highest risk scores are {names}.",
    ),
    "summary_top_item": (
        "{name}（{type}，得分{nb}{score}，{strategy}）",
        "{name} ({type}, score{nb}{score}, {strategy})",
    ),
    "summary_normal_dependence": (
        "{count} 条属于常态化分工依赖（存在能力差距，但供给暴露低于阈值，对外依赖不等于不安全）：{names}。",
        ("{count} chain(s) show normal dependence (a capability gap, but supply exposure below "
        "the threshold; foreign dependence is not insecurity): {names}."),
    ),
    "summary_insufficient": (
        "{count} 条证据不足，暂不能判定类型，需先补充数据：{names}。",
        ("{count} chain(s) have too little evidence to be classified until data are added: "
        "{names}."),
    ),
    "summary_borderline": (
        "{count} 条的判定处于临界（权重等扰动下主要类型可能改变），宜结合专家意见复核：{names}。",
        ("{count} verdict(s) are borderline (the primary type may change when weights are "
        "perturbed) and should be reviewed with expert judgement: {names}."),
    ),
    "summary_overrides": (
        "分析人员改判了 {count} 条：{names}。",
        "The analyst overrode {count} verdict(s): {names}.",
    ),
    "summary_override_item": (
        "{name}（模型 {engine} → 分析人员 {analyst}）",
        "{name} (model {engine} → analyst {analyst})",
    ),
    "summary_round": (
        "与上一轮（{previous}）相比：{changes}。",
        "Since the previous round ({previous}): {changes}.",
    ),
    "summary_round_none": (
        "与上一轮（{previous}）相比，各产业链的主要类型与风险等级均未变化。",
        "Since the previous round ({previous}) no chain changed its primary type or risk level.",
    ),
    "round_type_changed": (
        "{count} 条主要类型变化（{items}）",
        "{count} changed primary type ({items})",
    ),
    "round_level_changed": (
        "{count} 条风险等级变化（{items}）",
        "{count} changed risk level ({items})",
    ),
    "round_added": ("新增 {count} 条（{names}）", "{count} added ({names})"),
    "round_removed": ("移除 {count} 条（{names}）", "{count} removed ({names})"),
    "round_item": ("{name}：{old} → {new}", "{name}: {old} → {new}"),
    "more": ("等 {count} 条", ", and {count} more"),
    "dossier_verdict": (
        "{name}判定为{type}，风险等级{level}，得分{nb}{score}；建议采取{strategy}。",
        ("{name} is classified as {type}, risk level {level}, score{nb}{score}; the recommended "
        "strategy is {strategy}."),
    ),
    "dossier_verdict_untyped": (
        "{name}判定为{type}；建议{strategy}。",
        "{name} is classified as {type}; the recommended strategy is {strategy}.",
    ),
    "dossier_drivers": ("主要驱动因素：{drivers}。", "Main drivers: {drivers}."),
    "dossier_coverage": (
        "七个关键维度的平均证据覆盖率为{nb}{coverage}{nb}%；{insufficient}",
        "Mean evidence coverage of the seven key dimensions is {coverage}{nb}%; {insufficient}",
    ),
    "dossier_insufficient": (
        "证据不足的维度：{dims}（不计入类型得分）。",
        "dimensions with insufficient evidence: {dims} (not counted in the type scores).",
    ),
    "dossier_sufficient": ("各维度证据充分。", "every dimension has sufficient evidence."),
    "dossier_robust": (
        "稳健性检验中 {share}{nb}% 的抽样保持该主要类型{borderline}。",
        "{share}{nb}% of the robustness draws keep this primary type{borderline}.",
    ),
    "dossier_borderline": ("，判定处于临界", ", a borderline verdict"),
    "dossier_override": (
        "分析人员改判：模型 {engine} → 分析人员 {analyst}。",
        "The analyst overrode the model: {engine} → {analyst}.",
    ),
    "dossier_round_changed": (
        "与上一轮（{previous}）相比：{changes}。",
        "Since the previous round ({previous}): {changes}.",
    ),
    "dossier_round_same": (
        "与上一轮（{previous}）相比，主要类型与风险等级未变化。",
        "Since the previous round ({previous}) its primary type and risk level are unchanged.",
    ),
    "dossier_round_new": (
        "该链条在上一轮（{previous}）中没有评估结果。",
        "The chain has no result in the previous round ({previous}).",
    ),
    "change_type": ("主要类型 {old} → {new}", "primary type {old} → {new}"),
    "change_level": ("风险等级 {old} → {new}", "risk level {old} → {new}"),
    "no_level": ("无", "none"),
    # --- limitations ---------------------------------------------------------------------------
    "limitations_heading": ("局限性说明", "Limitations"),
    "lim_coverage": (
        ("证据覆盖：{count} 条（共 {total} 条）至少有一个关键维度的证据覆盖率低于{nb}{min}{nb}%，"
        "这些维度不计入类型得分；平均证据覆盖率为{nb}{mean}{nb}%。缺失数据显示为缺失，从不按 0 计。"),
        ("Evidence coverage: {count} of {total} chains have at least one key dimension below "
        "{min}{nb}% coverage; such dimensions do not count towards the type scores. Mean "
        "evidence coverage is {mean}{nb}%. Missing data are shown as missing, never as 0."),
    ),
    "lim_coverage_full": (
        ("证据覆盖：所有 {total} 条产业链的各关键维度覆盖率均不低于{nb}{min}{nb}%；平均证据覆盖率为"
        "{nb}{mean}{nb}%。"),
        ("Evidence coverage: every key dimension of all {total} chains reaches {min}{nb}% "
        "coverage; mean evidence coverage is {mean}{nb}%."),
    ),
    "lim_illustrative": (
        "示意数据：{count} 个指标值在来源中标注为示意数据（†），仅用于演示方法，不能作为事实引用。",
        ("Illustrative figures: {count} indicator values are marked illustrative in their "
        "provenance (†); they demonstrate the method and must not be cited as facts."),
    ),
    "lim_illustrative_none": (
        "示意数据：没有指标值标注为示意数据（†）。",
        "Illustrative figures: no indicator value is marked illustrative (†).",
    ),
    "lim_expert": (
        "专家判断：{count} 个指标值来自专家判断而非统计数据，反映填报人的评估，可能因人而异。",
        ("Expert judgement: {count} indicator values are expert judgements rather than "
        "statistics; they reflect the respondent's assessment and may differ between experts."),
    ),
    "lim_ratings_file": (
        ("国别风险评级取自分析人员提供的清单 {file}，是给定的判断而非测算结果；清单未列的国家按缺省评级"
        "{nb}{unrated} 计，评级达到{nb}{high} 视为高风险。"),
        ("Country-risk ratings come from the analyst's list {file}; they are given judgements, "
        "not measurements. Countries not on the list are rated {unrated} by default; a rating "
        "of {high} or more counts as high risk."),
    ),
    "lim_ratings_default": (
        ("未提供国别风险清单：所有贸易伙伴按缺省评级{nb}{unrated} 计，风险加权集中度和高风险来源占比因此"
        "只反映来源集中程度，不反映伙伴国差异。"),
        ("No country-risk list was given: every partner is rated {unrated} by default, so the "
        "risk-weighted concentration and the high-risk source share reflect concentration only, "
        "not differences between partners."),
    ),
    "lim_trade_none": (
        ("未提供贸易数据：TC、RCA 与来源集中度只来自清单中填报的数值，没有按贸易伙伴计算，各链条也没有"
        "供应国构成。"),
        ("No trade data were given: TC, RCA and source concentration come only from values in "
        "the inventory, not computed per trade partner, and no chain has a supplier-country "
        "breakdown."),
    ),
    "lim_impact": (
        ("冲击情景采用单层闭式模型：只考虑直接进口来源与库存，不追踪多级供应商之间的传导和替代的爬坡"
        "过程，因而是第一层影响的估计。"),
        ("Shock scenarios use a single-tier closed-form model: only direct import sources and "
        "stocks are considered, not propagation through lower supplier tiers or the ramp-up of "
        "substitutes, so they estimate first-tier impact."),
    ),
    "lim_method": (
        ("方法衡量的是能力视角下的结构性风险（003）：不包括价格和汇率波动、企业层面的财务与经营风险、"
        "短期物流中断的实时监测，也不预测政策事件。类型判定依赖阈值，接近阈值的结论应结合稳健性检验"
        "与专家意见阅读；对外依赖本身不等于不安全（002）。"),
        ("The method measures structural risk from a capability perspective (003). It does not "
        "cover price or exchange-rate swings, firm-level financial or operating risk, or "
        "real-time monitoring of logistics disruptions, and it does not forecast policy events. "
        "Verdicts depend on thresholds: read those near a threshold together with the "
        "robustness check and expert judgement; foreign dependence alone is not insecurity (002)."),
    ),
    "lim_issues": (
        "输入中有 {count} 个数据问题（见附录），相关数值已按缺失处理或已标注。",
        ("The input has {count} data issues (see the appendix); the values concerned are "
        "treated as missing or flagged."),
    ),
    # --- data sources --------------------------------------------------------------------------
    "sources_heading": ("数据来源与文件校验", "Data sources and file hashes"),
    "role_inventory": ("产业链清单（指标数据）", "Chain inventory (indicator data)"),
    "role_taxonomy": ("分类体系（参数与阈值）", "Taxonomy (parameters and thresholds)"),
    "role_country_risk": ("国别风险清单", "Country-risk list"),
    "role_trade": ("贸易数据", "Trade data"),
    "source_missing": ("未提供", "not given"),
    "trade_sheet": ("{file}（trade 工作表）", "{file} (sheet trade)"),
    "col_role": ("用途", "Role"),
    "col_file": ("文件", "File"),
    "col_sha256": ("SHA-256", "SHA-256"),
    # --- references ----------------------------------------------------------------------------
    "references_heading": ("参考文献", "References"),
    # --- supplier breakdown --------------------------------------------------------------------
    "suppliers_heading": ("供应国构成", "Supplier countries"),
    "suppliers_missing": (
        "缺少供应国构成：未提供按贸易伙伴的进口数据。",
        "The supplier-country breakdown is missing: no import data by trade partner were given.",
    ),
    "col_country": ("供应国", "Supplier country"),
    "col_share": ("进口份额", "Share of imports"),
    "col_rating": ("国别风险评级", "Country-risk rating"),
    "unrated": ("未列入清单（按缺省{nb}{default}）", "not on the list (default {default})"),
    "high_risk_note": ("（高风险）", " (high risk)"),
    # --- captions ------------------------------------------------------------------------------
    "fig_distribution": ("各类型产业链数量及风险等级", "Chains by primary type and risk level"),
    "fig_matrix": (
        "风险矩阵：能力缺口与供给暴露",
        "Risk matrix: capability gap against supply exposure",
    ),
    "fig_scores": (
        "{name}：类型得分、关键维度与暴露门",
        "{name}: type scores, key dimensions and the exposure gate",
    ),
    "fig_radar": (
        "{name}：关键维度雷达图与暴露指标",
        "{name}: key dimensions (radar) and exposure indicators",
    ),
    "fig_trends": ("{name}：贸易竞争力指数趋势", "{name}: trade competitiveness over time"),
    "tab_top": ("重点风险产业链", "Highest-risk chains"),
    "tab_all": ("全部产业链（按优先级排序）", "All chains by priority"),
    "tab_indicators": ("{name}：指标明细", "{name}: indicators"),
    "tab_segments": ("{name}：分环节评估", "{name}: segments"),
    "tab_suppliers": ("{name}：供应国构成", "{name}: supplier countries"),
    "tab_run": ("本次评估的标识", "Identification of this assessment"),
    "tab_thresholds": ("判定阈值与参数", "Thresholds and parameters"),
    "tab_anchors": ("指标锚点与权重", "Indicator anchors and weights"),
    "tab_sources": ("输入文件及其 SHA-256 校验值", "Input files and their SHA-256 hashes"),
    "source_taxonomy_only": (
        "分类体系 {taxonomy}（SHA-256 {sha}）",
        "taxonomy {taxonomy} (SHA-256 {sha})",
    ),
    "figure": ("图{nb}{number}{nb}{title}", "Figure{nb}{number} {title}"),
    "table": ("表{nb}{number}{nb}{title}", "Table{nb}{number} {title}"),
    "source_line": ("资料来源：{source}", "Source: {source}"),
    "source_run": (
        "riskdesk {version} 评估结果（{assessed_at}），输入 {input}",
        "riskdesk {version} assessment ({assessed_at}), input {input}",
    ),
    "source_taxonomy": ("分类体系 SHA-256 {sha}…", "taxonomy SHA-256 {sha}…"),
    "source_trade": ("贸易数据 {file}", "trade data {file}"),
    "source_inventory_none": ("未记录输入文件", "input file not recorded"),
    "list_sep": ("、", ", "),
    "clause_sep": ("；", "; "),
    "and_last": ("和", " and "),
}


def say(key: str, lang: Lang, **values: Any) -> str:
    """A frame in `lang` filled with values (str.format); `nb` is always available."""
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(nb=NB, **values)
