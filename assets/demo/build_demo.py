"""Build the bundled demo inventory (assets/demo/demo_inventory.xlsx) from the table below.

The chains are the typical cases of the source papers (SPEC §10). A figure taken from a paper
names the paper in its evidence note; every other figure fills a gap for demonstration and is
marked illustrative, so the reports flag it. Run `python assets/demo/build_demo.py` after editing;
the workbook is committed so `riskdesk demo` works without this script.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
OUT = HERE / "demo_inventory.xlsx"

PROFILE = ("chain_id", "chain_name", "segment", "sector", "tech_category", "strategic_value",
           "generality", "description", "owner", "year")  # fmt: skip

# (value, evidence, illustrative). Evidence without a paper is an illustrative estimate.


def v(value: float, evidence: str = "", illustrative: bool = True) -> tuple[float, str, bool]:
    return (value, evidence, illustrative)


def paper(value: float, evidence: str) -> tuple[float, str, bool]:
    return (value, evidence, False)


# 001 publishes the chip chain's segment indices (58.8, 44.1, 16.5) and its overall index (41.3) but
# not the weights; these value shares reproduce 41.3 from the three indices and are illustrative.
SHARE_NOTE = "illustrative: value shares that reproduce 001's overall chip-chain index 41.3"

EXPOSED = {  # a supply under export controls from high-risk partners, hard to substitute
    "risk_weighted_hhi": v(0.24),
    "geo_risk_share": v(0.60),
    "non_market_pressure": paper(3, "001/004: export controls and entity lists on this field"),
    "substitutability": v(0.2),
}

CHAINS: list[dict[str, object]] = [
    {
        "chain_id": "AERO-ENG",
        "chain_name": "航空发动机",
        "sector": "航空装备",
        "tech_category": "core",
        "strategic_value": 5,
        "generality": 4,
        "owner": "装备一处",
        "description": "003：分工导致的能力锁定的典型案例。",
        "values": {
            "import_dependence": v(0.85),
            "tc_index": v(-0.62),
            "rca_index": v(0.35),
            "gvc_forward": paper(
                0.136, "001: China's forward GVC participation 0.136 (economy-wide proxy)"
            ),
            "gvc_backward": v(0.32),
            "tech_gap_years": v(12),
            "supplier_count": v(3),
            "risk_weighted_hhi": v(0.20),
            "geo_risk_share": v(0.55),
            "non_market_pressure": v(2),
            "substitutability": v(0.2),
        },
    },
    {
        "chain_id": "EDA-SW",
        "chain_name": "工业软件与EDA",
        "sector": "软件和信息技术服务",
        "tech_category": "core",
        "strategic_value": 5,
        "generality": 5,
        "owner": "软件处",
        "description": "003：基础研究与原始创新能力不足的典型案例。",
        "values": {
            "import_dependence": paper(
                0.95, "001: 95 % of R&D-design industrial software is imported"
            ),
            "global_top3_share": paper(
                0.90, "003: Synopsys, Cadence and Mentor hold nearly 90 % of EDA"
            ),
            "core_patent_share": v(0.03),
            "rd_intensity": v(0.015),
            "basic_research_share": v(0.05),
            "tech_gap_years": v(10),
            "supplier_count": paper(3, "003: three US firms dominate EDA"),
            "top_source_share": v(0.85),
            **EXPOSED,
        },
    },
    {
        "chain_id": "PHOTORESIST",
        "chain_name": "半导体光刻胶",
        "sector": "电子化学品",
        "tech_category": "foundational",
        "strategic_value": 4,
        "generality": 3,
        "owner": "原材料处",
        "description": "003：进入不经济的典型案例（光刻胶约占半导体市场 0.4%）。",
        "values": {
            "segment_market_share": paper(
                0.0041, "003: photoresist ≈ 1.75 bn of a 426 bn USD semiconductor market"
            ),
            "import_dependence": v(0.90),
            "global_top3_share": v(0.90),
            "supplier_count": v(3),
            "non_market_pressure": v(2),
            "substitutability": v(0.3),
        },
        "trade": {"JPN": 0.70, "USA": 0.10, "KOR": 0.10, "DEU": 0.10},
        "exports": 0.5,
    },
    *[
        {
            "chain_id": "IC",
            "chain_name": "集成电路",
            "segment": seg,
            "sector": "电子信息",
            "tech_category": "core",
            "strategic_value": 5,
            "generality": 5,
            "owner": "电子信息处",
            "description": f"001：芯片产业链分环节风险指数 {index}。",
            "values": vals,
        }
        for seg, index, vals in (
            (
                "设计",
                "58.8",
                {
                    "segment_value_share": v(0.30, SHARE_NOTE),
                    "import_dependence": v(0.85),
                    "core_patent_share": v(0.06),
                    "rd_intensity": v(0.03),
                    "tech_gap_years": v(8),
                    "basic_research_share": v(0.06),
                    **EXPOSED,
                },
            ),
            (
                "制造",
                "44.1",
                {
                    "segment_value_share": v(0.44, SHARE_NOTE),
                    "import_dependence": v(0.75),
                    "tc_index": v(-0.45),
                    "rca_index": v(0.6),
                    "gvc_backward": v(0.35),
                    "core_patent_share": v(0.12),
                    "tech_gap_years": v(5),
                    "rd_intensity": v(0.04),
                    "basic_research_share": v(0.08),
                    **EXPOSED,
                },
            ),
            (
                "封装测试",
                "16.5",
                {
                    "segment_value_share": v(0.26, SHARE_NOTE),
                    "import_dependence": v(0.25),
                    "tc_index": v(0.25),
                    "rca_index": v(1.4),
                    "gvc_forward": v(0.25),
                    "gvc_backward": v(0.2),
                    "core_patent_share": v(0.28),
                    "tech_gap_years": v(1),
                    "rd_intensity": v(0.05),
                    "basic_research_share": v(0.12),
                    "risk_weighted_hhi": v(0.06),
                    "geo_risk_share": v(0.15),
                    "non_market_pressure": v(1),
                    "substitutability": v(0.7),
                },
            ),
        )
    ],
    {
        "chain_id": "AUTO-CHIP",
        "chain_name": "车规级芯片",
        "sector": "汽车",
        "tech_category": "core",
        "strategic_value": 5,
        "generality": 4,
        "owner": "汽车处",
        "description": (
            "004：汽车芯片对外依存度约 90%；"
            "003：芯片短缺导致整车厂停产，是产业链自身配套能力无法响应的案例。"
        ),
        "values": {
            "import_dependence": paper(0.90, "004: auto-chip foreign dependence ≈ 90 %"),
            "tc_index": v(-0.70),
            "ttr_tts_ratio": v(3.0),
            "inventory_days": v(10),
            "qualified_alt_suppliers": v(1),
            "single_source_share": v(0.60),
            "disruptions_3y": v(4),
            "supplier_db_coverage": v(0.30),
            "risk_weighted_hhi": v(0.08),
            "geo_risk_share": v(0.25),
            "non_market_pressure": v(1),
            "substitutability": v(0.4),
        },
    },
    {
        "chain_id": "5G-RAN",
        "chain_name": "5G无线接入网",
        "sector": "通信设备",
        "tech_category": "emerging",
        "strategic_value": 5,
        "generality": 5,
        "owner": "通信处",
        "description": "003：O-RAN 等非市场推动的技术路线转换。",
        "values": {
            "alt_route_adoption": v(0.45),
            "sep_share": v(0.28),
            "non_market_pressure": paper(
                3, "001/004: entity listing of Chinese telecom-equipment firms"
            ),
            "standard_push": paper(
                3, "003: the US government pushes O-RAN to displace the integrated route"
            ),
            "key_market_share_change": paper(
                -0.13, "001: market-share falls of −0.13 to −0.31 in key markets"
            ),
        },
    },
    {
        "chain_id": "OPTICAL",
        "chain_name": "光通信设备",
        "sector": "通信设备",
        "tech_category": "core",
        "strategic_value": 4,
        "generality": 4,
        "owner": "通信处",
        "description": "003：开源光网络推动的技术路线转换。",
        "values": {
            "alt_route_adoption": v(0.40),
            "sep_share": v(0.12),
            "non_market_pressure": v(2),
        },
    },
    {
        "chain_id": "TEXTILE",
        "chain_name": "纺织服装",
        "sector": "轻纺",
        "tech_category": "mature",
        "strategic_value": 2,
        "generality": 3,
        "owner": "消费品处",
        "description": (
            "004：产业外迁导致规上纺织服装企业从业人员由 750.8 万降至 449.2 万（2013–2023），"
            "规上企业减少 1.7 万家（2018–2023）；001：纺织品在美国进口中的份额 2017–2023 年下降"
            " 10.92 个百分点。RCA、TC 序列取 000 表1/表2“劳动密集型和资源密集型制造业”作代理，"
            "只用其趋势。"
        ),
        "values": {
            "employment_change": paper(
                -0.402, "004: textile & apparel employment 7.508 M (2013) → 4.492 M (2023)"
            ),
            "capacity_share_change": v(-0.05),
            "firm_count_change": v(
                -0.12, "004: 17,000 fewer large textile & apparel firms 2018–2023 (rate illustrative)"
            ),
            "key_market_share_change": paper(
                -0.1092, "001 table 2: textiles' share of US imports −10.92 pp, 2017–2023"
            ),
            "relocation_intent": v(0.06),
        },
        "series": {
            "rca_index": [2.33, 2.33, 2.28, 2.23, 2.16, 2.05, 2.16],
            "tc_index": [0.81, 0.79, 0.78, 0.78, 0.79, 0.78, 0.82],
        },
        "series_evidence": "000 表1/表2：劳动密集型和资源密集型制造业 2016–2022",
    },
    {
        "chain_id": "PHONE-ASSY",
        "chain_name": "手机整机组装",
        "sector": "消费电子",
        "tech_category": "mature",
        "strategic_value": 3,
        "generality": 3,
        "owner": "电子信息处",
        "description": (
            "003/004：整机组装连同配套供应商向东南亚、南亚转移——三星、苹果把手机业务移至东南亚，"
            "带动富士康、和硕等 200 多家配套企业迁移（004）。"
        ),
        "values": {
            "relocation_intent": v(0.12),
            "capacity_share_change": v(-0.08),
            "key_market_share_change": paper(
                -0.142,
                "001 table 2: machinery & electrical equipment's share of US imports −14.20 pp, "
                "2017–2023 (proxy for phones)",
            ),
            "firm_count_change": v(-0.08),
            "employment_change": v(-0.15),
            "key_line_relocation": v(
                0.20, "004: Samsung and Apple moved phone making with 200+ suppliers (share illustrative)"
            ),
            "single_source_share": paper(
                0.55, "004: single-source procurement by lead brands (share illustrative)"
            ),
        },
    },
    {
        "chain_id": "EV-BATTERY",
        "chain_name": "新能源汽车动力电池",
        "sector": "汽车",
        "tech_category": "emerging",
        "strategic_value": 4,
        "generality": 4,
        "owner": "汽车处",
        "description": "004：2023 年装车量 387.7 GWh，全球前十企业中我国占六席，市场份额超过 60%。",
        "values": {
            "import_dependence": v(0.08),
            "gvc_forward": v(0.35),
            "core_patent_share": v(0.35),
            "tech_gap_years": v(0),
            "rd_intensity": v(0.05),
            "capacity_share_change": v(0.05),
            "employment_change": v(0.20),
            "alt_route_adoption": v(0.10),
            "sep_share": v(0.30),
            "inventory_days": v(45),
            "qualified_alt_suppliers": v(3),
            "ttr_tts_ratio": v(0.6),
        },
        "trade": {"KOR": 0.5, "JPN": 0.3, "DEU": 0.2},
        "exports": 25.0,
    },
    {
        "chain_id": "BIO-ENZYME",
        "chain_name": "生物制造（工业酶制剂与菌种）",
        "sector": "生物制造",
        "tech_category": "core",
        "strategic_value": 4,
        "generality": 4,
        "owner": "生物医药处",
        "description": "001：酶制剂、工业核心菌种对外依存度超过 70%；专利授权前 20 的机构中我国仅 1 家。",
        "values": {
            "import_dependence": paper(0.72, "001: enzymes and core strains > 70 % imported"),
            "core_patent_share": paper(
                0.05, "001: 1 of the top-20 patent holders is Chinese (proxy 1/20)"
            ),
            "basic_research_share": v(0.06),
            "tech_gap_years": v(6),
            "rd_intensity": v(0.02),
            "risk_weighted_hhi": v(0.12),
            "geo_risk_share": v(0.35),
            "non_market_pressure": v(1),
            "substitutability": v(0.4),
        },
    },
    {
        "chain_id": "CRIT-MIN",
        "chain_name": "关键矿产（钴、锂、镍）",
        "sector": "有色金属",
        "tech_category": "foundational",
        "strategic_value": 5,
        "generality": 5,
        "owner": "原材料处",
        "description": "004：关键矿产供应暴露上升；建议以战略储备和多元化提升韧性。",
        "values": {
            "import_dependence": v(0.70),
            "ttr_tts_ratio": v(1.8),
            "inventory_days": v(20),
            "qualified_alt_suppliers": v(1),
            "single_source_share": v(0.50),
            "logistics_concentration": v(0.80),
            "supplier_db_coverage": v(0.30),
            "non_market_pressure": v(2),
            "substitutability": v(0.2),
        },
        "trade": {"COD": 0.65, "AUS": 0.15, "IDN": 0.12, "CHL": 0.08},
        "exports": 3.0,
    },
    {
        "chain_id": "PEN-TIP",
        "chain_name": "圆珠笔笔尖钢",
        "sector": "特殊钢",
        "tech_category": "foundational",
        "strategic_value": 1,
        "generality": 2,
        "owner": "原材料处",
        "description": "002：“真假卡脖子”案例——市场极小、来源可靠，依赖不构成安全问题。",
        "values": {
            "import_dependence": paper(
                0.90, "002 case 1: pen-tip steel long imported (share illustrative)"
            ),
            "segment_market_share": v(0.001),
            "global_top3_share": v(0.90),
            "supplier_count": v(3),
            "non_market_pressure": v(0),
            "substitutability": v(0.7),
        },
        "trade": {"JPN": 0.60, "CHE": 0.25, "DEU": 0.15},
    },
]

TRADE_YEARS = (2020, 2021, 2022, 2023)
TRADE_DERIVED = ("tc_index", "rca_index", "source_hhi", "top_source_share", "risk_weighted_hhi",
                 "geo_risk_share", "rca_trend", "tc_trend")  # fmt: skip


def _trade_rows() -> list[tuple[object, ...]]:
    """A small illustrative Comtrade-style table: imports by partner, exports, world and totals."""
    rows: list[tuple[object, ...]] = []
    for k, year in enumerate(TRADE_YEARS):
        growth = 1.0 + 0.05 * k
        rows.append(("TOTAL", "CHN", "WLD", year, "export", 3.3e12 * growth))
        rows.append(("TOTAL", "WLD", "WLD", year, "export", 22.0e12 * growth))
        for chain in CHAINS:
            partners = chain.get("trade")
            if not isinstance(partners, dict):
                continue
            product = str(chain["chain_id"])
            imports = 1.0e9 * growth
            exports = float(chain.get("exports", 0.1)) * 1.0e9 * growth * (1 + 0.03 * k)  # type: ignore[arg-type]
            rows.append((product, "CHN", "WLD", year, "import", imports))
            rows.append((product, "CHN", "WLD", year, "export", exports))
            rows.append((product, "WLD", "WLD", year, "export", 40.0e9 * growth))
            rows.extend(
                (product, "CHN", partner, year, "import", imports * share)
                for partner, share in partners.items()
            )
    return rows


def build(path: Path = OUT) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "chains"
    indicator_ids: list[str] = []
    for chain in CHAINS:
        for ind in chain["values"]:  # type: ignore[attr-defined]
            if ind not in indicator_ids:
                indicator_ids.append(ind)
    ws.append([*PROFILE, *indicator_ids])
    sources = wb.create_sheet("sources")
    sources.append(["chain_id", "segment", "indicator", "evidence", "year", "illustrative"])
    for chain in CHAINS:
        values: dict[str, tuple[float, str, bool]] = chain["values"]  # type: ignore[assignment]
        ws.append(
            [chain.get(p, 2024 if p == "year" else None) for p in PROFILE]
            + [values[i][0] if i in values else None for i in indicator_ids]
        )
        for ind, (_, evidence, illustrative) in values.items():
            note = evidence or "riskdesk demo estimate, not a published figure"
            sources.append(
                [
                    chain["chain_id"],
                    chain.get("segment"),
                    ind,
                    note,
                    2024,
                    "yes" if illustrative else "no",
                ]
            )
        if "trade" in chain:
            for ind in TRADE_DERIVED:
                note = "computed from the demo's illustrative trade table"
                sources.append([chain["chain_id"], None, ind, note, 2023, "yes"])
        if "series" in chain:
            for trend in ("rca_trend", "tc_trend"):
                sources.append(
                    [chain["chain_id"], None, trend, chain["series_evidence"], 2022, "no"]
                )
    series = wb.create_sheet("timeseries")
    series.append(["chain_id", "segment", "indicator", "year", "value"])
    for chain in CHAINS:
        for ind, points in chain.get("series", {}).items():  # type: ignore[attr-defined]
            for year, value in zip(range(2016, 2023), points, strict=True):
                series.append([chain["chain_id"], chain.get("segment"), ind, year, value])
    trade = wb.create_sheet("trade")
    trade.append(["product", "reporter", "partner", "year", "flow", "value"])
    for row in _trade_rows():
        trade.append(list(row))
    ws.freeze_panes = "C2"
    wb.properties.title = "riskdesk demo inventory"
    wb.properties.creator = "riskdesk"
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build())
