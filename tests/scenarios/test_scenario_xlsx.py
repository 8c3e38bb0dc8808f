"""The scenario sheets go into any openpyxl workbook; text from the library stays text."""

from __future__ import annotations

import openpyxl
from openpyxl import Workbook

from riskdesk.core.assess import assess_portfolio
from riskdesk.core.paths import DEMO_COUNTRY_RISK, DEMO_INVENTORY
from riskdesk.core.scenario_run import run_scenarios
from riskdesk.core.trade import CountryRiskList
from riskdesk.io.inventory import read_inventory
from riskdesk.io.scenarios import parse_scenario_library
from riskdesk.reports.scenario_xlsx import add_scenario_sheets

LIBRARY = """schema = 1
[[scenario]]
id = "JPN-cut"
name = "=HYPERLINK(\\"http://x\\")"
kind = "partner_cutoff"
duration_days = 90
[[scenario.shock]]
partner = "JPN"
cut = 1.0
"""


def test_sheets_in_a_normal_workbook_with_formula_like_text(tmp_path, taxonomy):
    risk = CountryRiskList.load(DEMO_COUNTRY_RISK)
    portfolio = assess_portfolio(read_inventory(DEMO_INVENTORY, taxonomy), taxonomy,
                                 country_risk=risk, robustness=False)  # fmt: skip
    run = run_scenarios(portfolio, parse_scenario_library(LIBRARY.encode()), country_risk=risk)
    wb = Workbook()
    add_scenario_sheets(wb, run, taxonomy, "en")
    path = tmp_path / "s.xlsx"
    wb.save(path)
    back = openpyxl.load_workbook(path)
    assert back.sheetnames[-2:] == ["Scenario matrix", "Scenario results"]
    rows = list(back["Scenario results"].iter_rows())
    name = rows[1][3]
    assert name.value == '=HYPERLINK("http://x")' and name.data_type == "s" and name.quotePrefix
    matrix = list(back["Scenario matrix"].iter_rows(values_only=True))
    assert matrix[0][3:] == ("JPN-cut unmet share", "JPN-cut shocked type")
    assert len(matrix) == 1 + len(run.chain_ids)


def test_the_chinese_workbook_words_its_notes_in_chinese(tmp_path, taxonomy):
    risk = CountryRiskList.load(DEMO_COUNTRY_RISK)
    portfolio = assess_portfolio(read_inventory(DEMO_INVENTORY, taxonomy), taxonomy,
                                 country_risk=risk, robustness=False)  # fmt: skip
    run = run_scenarios(portfolio, parse_scenario_library(LIBRARY.encode()), country_risk=risk)
    wb = Workbook()
    add_scenario_sheets(wb, run, taxonomy, "zh")
    rows = list(wb["情景明细"].iter_rows(values_only=True))
    aero = next(r for r in rows if r[0] == "AERO-ENG")
    assert aero[-1] == "缺少进口伙伴份额（请提供贸易数据）"
