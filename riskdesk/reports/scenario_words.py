"""The words of the scenario PDF chapter, zh and en side by side (like the scenario workbook's):
headings, captions, sentence frames, column heads, scenario kinds and the short type labels of the
heat map's cells. `text(key, lang, **values)` fills a frame; a key is never printed raw."""

from __future__ import annotations

from riskdesk.core.models import Lang
from riskdesk.core.taxonomy import Taxonomy

TEXT: dict[str, tuple[str, str]] = {
    "heading": ("情景分析", "Scenario analysis"),
    "title": ("情景分析报告", "Scenario analysis report"),
    "subtitle": (
        "{scenarios} 个情景 × {chains} 条产业链",
        "{scenarios} scenarios × {chains} chains",
    ),
    "intro": (
        (
            "本章把情景库 {library}（sha256 {sha}）中的 {scenarios} 个情景逐一施加于 {chains} 条产业链。"
            "静态暴露（常规评估：对外依存度、来源集中度、国别风险等）衡量冲击发生前的脆弱程度；冲击影响回答"
            "“如果某国停止供应，哪条链何时断供、缺多少、战略是否改变”。两者可能不一致：切断一个高风险伙伴"
            "会使风险加权HHI下降（该伙伴退出来源结构），同时造成大量供应缺口。"
        ),
        (
            "This chapter applies the {scenarios} scenarios of the library {library} (sha256 {sha}) to "
            "{chains} chains. Static exposure (the usual assessment: import dependence, source "
            "concentration, country risk) measures fragility before a shock; in-shock impact answers "
            "\u201cif a country stops supplying, which chains run short, when, by how much, and does "
            "the strategy change?\u201d. The two can disagree: cutting a high-risk partner lowers the "
            "risk-weighted HHI (that partner leaves the mix) while causing a large shortfall."
        ),
    ),
    "model": (
        (
            "模型为单层闭式模型：缺口速率 r(t) = 对外依存度 × 被切断的进口份额（减去已到位的替代），"
            "需求激增与工厂停产另加其项。生存时间 TTS 是库存（inventory_days，以消费天数计）被累计缺口"
            "耗尽的时刻；库存撑过整个情景则记为“未耗尽”。恢复时间 TTR 是情景持续时间，或该链自身更长的"
            " ttr_days。未满足需求是情景期间超出库存的累计缺口（消费天数），占比为其除以持续时间。TTR 大于 "
            "TTS 表示库存先于恢复耗尽。冲击下的指标（来源结构、TTR/TTS 比值、依存度）经原评估引擎重新分类，"
            "其余结构性指标保持不变。缺少输入（伙伴份额、依存度、库存天数）时，数值显示为 n/a 并注明原因，"
            "绝不按 0 处理。"
        ),
        (
            "The model is single-tier and closed-form: the shortfall rate r(t) = import dependence × "
            "the share of imports cut (less the substitution ramps in place), plus terms for demand "
            "surges and plant outages. Time to survive (TTS) is when the cumulative shortfall uses "
            "up the stock (inventory_days, in days of consumption); \u201cstock lasts\u201d when it "
            "covers the whole scenario. Time to recover (TTR) is the scenario's duration, or the "
            "chain's own ttr_days when longer. Unmet demand is the shortfall beyond the stock during "
            "the scenario (consumption-days); its share divides it by the duration. TTR above TTS "
            "means the stock runs out before recovery. The shocked indicators (source mix, TTR/TTS "
            "ratio, dependence) go through the assessment engine again; structural indicators stay. "
            "Where an input is missing (partner shares, dependence, inventory days) the value is "
            "shown as n/a with the reason, never as 0."
        ),
    ),
    "library": ("情景库", "The scenario library"),
    "heatmap": ("产业链 × 情景热力图", "Chains × scenarios heat map"),
    "ranked": ("冲击影响排序", "Ranked impact"),
    "missing_h": ("缺少输入的链条", "Chains lacking inputs"),
    "tts_ttr": ("生存时间与恢复时间", "Time to survive against time to recover"),
    "figure": ("图 {n}", "Figure {n}"),
    "table": ("表 {n}", "Table {n}"),
    "source": (
        "来源：riskdesk {version} 情景运行；情景库 {library}（sha256 {sha}）；输入 {input}。",
        "Source: riskdesk {version} scenario run; library {library} (sha256 {sha}); input {input}.",
    ),
    "cap_library": ("情景库中的情景", "Scenarios of the library"),
    "cap_heatmap": (
        "各链在各情景下的未满足需求占比（颜色）与冲击下主类型（文字），▲ 表示优先级上升",
        (
            "Unmet share (colour) and shocked primary type (text) per chain and scenario; ▲ where "
            "the chain's priority rose"
        ),
    ),
    "heat_cut": (
        (
            "图中为影响最大的 {rows} 条链（共 {chains} 条）与前 {cols} 个情景（共 {scenarios} 个）；"
            "完整矩阵见情景工作簿。"
        ),
        (
            "The map shows the {rows} most affected of {chains} chains and the first {cols} of "
            "{scenarios} scenarios; the scenario workbook has the whole matrix."
        ),
    ),
    "codes": ("格内类型代码：{codes}。", "Type codes in the cells: {codes}."),
    "na_reasons": ("n/a 的原因：{reasons}。", "Why cells are n/a: {reasons}."),
    "na_count": ("{count} 格{reason}", "{count} cells: {reason}"),
    "no_na": ("所有适用的格都有数值。", "Every applicable cell has a number."),
    "cap_ranked": (
        "按未满足需求占比排序的链 × 情景（可计算的 {shown} / {total} 组）",
        "Chain × scenario pairs by unmet share ({shown} of {total} computable pairs)",
    ),
    "cap_missing": (
        "无法计算未满足需求的链 × 情景及原因",
        "Chain × scenario pairs whose unmet demand cannot be computed, and why",
    ),
    "more_rows": (
        "另有 {count} 行未列出，见情景工作簿。",
        "{count} more rows are in the scenario workbook.",
    ),
    "none_ranked": (
        "没有可计算未满足需求的链 × 情景。",
        "No chain × scenario pair has a computable unmet demand.",
    ),
    "none_missing": ("所有适用的链 × 情景都有完整输入。", "Every applicable pair has its inputs."),
    "cap_tts": (
        "生存时间对恢复时间：每点为库存在情景中耗尽的链 × 情景；对角线上方表示库存先于恢复耗尽（红点：优先级上升）",
        (
            "Time to survive against time to recover: one point per pair whose stock runs out; "
            "points above the diagonal run out before recovery (red: priority rose)"
        ),
    ),
    "tts_rest": (
        "另有 {lasts} 组库存撑过整个情景，{unknown} 组因缺少输入无法计算 TTS，未画出。",
        (
            "Not drawn: {lasts} pairs whose stock lasts the scenario and {unknown} whose TTS cannot "
            "be computed for missing inputs."
        ),
    ),
    "col_rank": ("序", "#"),
    "col_chain": ("产业链", "Chain"),
    "col_scenario": ("情景", "Scenario"),
    "col_name": ("名称", "Name"),
    "col_kind": ("类型", "Kind"),
    "col_duration": ("持续(天)", "Days"),
    "col_shock": ("冲击与替代", "Shock and ramps"),
    "col_prob": ("年概率", "P/yr"),
    "col_tts": ("TTS(天)", "TTS (d)"),
    "col_ttr": ("TTR(天)", "TTR (d)"),
    "col_unmet": ("未满足(天)", "Unmet (d)"),
    "col_share": ("占比", "Share"),
    "col_type": ("类型 前→后", "Type before → after"),
    "col_strategy": ("冲击后战略", "Strategy after"),
    "col_drivers": ("驱动指标", "Drivers"),
    "col_scenarios": ("情景", "Scenarios"),
    "col_values": ("TTS / 未满足", "TTS / unmet"),
    "col_why": ("原因", "Why"),
    "lasts": ("未耗尽", "lasts"),
    "shortfall": ("累计缺口 {days} 消费天数", "shortfall {days} consumption-days"),
    "exposure_note": ("暴露降低但供应短缺", "exposure falls, supply short"),
    "cut": ("{partner} 断供 {cut}", "{partner} cut {cut}"),
    "ramp": ("{partner} +{extra}（第 {day} 天起）", "{partner} +{extra} from day {day}"),
    "rating": ("{partner} 评级 {rating}", "{partner} rated {rating}"),
    "surge": ("需求 +{x}", "demand +{x}"),
    "outage": ("国内产能 −{x}", "domestic capacity −{x}"),
    "chains_all": ("全部链", "all chains"),
    "sep": ("；", "; "),
    "shock_line": ("{parts}（{chains}）", "{parts} ({chains})"),
    "input": ("{name}（sha256 {sha}）", "{name} (sha256 {sha})"),
    "chains_some": ("仅 {chains}", "only {chains}"),
    "generated": (
        "riskdesk {version} 生成于 {at}；分类体系 sha256 {taxonomy}；情景库 sha256 {library}",
        "Generated by riskdesk {version} at {at}; taxonomy sha256 {taxonomy}; library sha256 {library}",
    ),
    "kind.partner_cutoff": ("伙伴断供", "partner cut-off"),
    "kind.export_ban": ("出口禁令", "export ban"),
    "kind.logistics_block": ("物流受阻", "logistics block"),
    "kind.rating_shock": ("评级冲击", "rating shock"),
    "kind.demand_surge": ("需求激增", "demand surge"),
    "kind.plant_outage": ("工厂停产", "plant outage"),
    # short labels for the heat map's cells; "missing" alone would read as a missing input
    "type.missing": ("能力缺失", "Cap. missing"),
    "type.destroyed": ("能力破坏", "Cap. destroyed"),
    "type.response": ("能力响应", "Resp. lagging"),
    "type.normal_dependence": ("常态依赖", "Normal dep."),
    "type.monitor": ("监测", "Monitor"),
    "type.insufficient_evidence": ("证据不足", "Insuff. evidence"),
    # codes for a heat map with many scenarios, explained in a note under it
    "code.missing": ("缺", "CM"),
    "code.destroyed": ("破", "CD"),
    "code.response": ("响", "RL"),
    "code.normal_dependence": ("常", "ND"),
    "code.monitor": ("监", "Mo"),
    "code.insufficient_evidence": ("证", "IE"),
}


def text(key: str, lang: Lang, **values: object) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


def short_type(outcome: str, taxonomy: Taxonomy, lang: Lang) -> str:
    """A type's short label for a heat-map cell; an id riskdesk does not know keeps its name."""
    key = f"type.{outcome}"
    return text(key, lang) if key in TEXT else taxonomy.label(outcome, lang)
