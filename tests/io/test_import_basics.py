"""read_inventory on well-formed files: columns, aliases, provenance and the optional sheets."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from import_files import HEADER

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Severity
from riskdesk.io.inventory import read_inventory, read_trade_file


def test_canonical_xlsx_reads_values_with_cell_provenance(xlsx, taxonomy) -> None:
    path = xlsx(
        {
            "chains": [
                HEADER,
                ["C01", "芯片", "设计", "core", 0.9, 3],
                ["C01", "芯片", "制造", "核心技术", None, 5],
            ]
        }
    )
    inv = read_inventory(path, taxonomy)
    assert list(inv.frame.columns) == list(Inventory.empty_frame(taxonomy).columns)
    assert inv.frame.dtypes.equals(Inventory.empty_frame(taxonomy).dtypes)
    assert inv.keys() == [("C01", "设计"), ("C01", "制造")]
    assert inv.frame["import_dependence"].iloc[0] == 0.9
    assert math.isnan(inv.frame["import_dependence"].iloc[1])  # missing stays missing, not 0
    assert list(inv.frame["tech_category"]) == ["core", "core"]
    prov = inv.provenance(0, "import_dependence")
    assert prov is not None
    assert (prov.kind, prov.sheet, prov.cell) == ("imported", "chains", "E2")
    assert inv.provenance(1, "import_dependence") is None
    assert inv.source_rows[("C01", "制造")] == 3
    assert inv.source is not None
    assert inv.source.sheet == "chains"
    assert len(inv.source.sha256) == 64
    assert [i for i in inv.issues if i.severity == Severity.ERROR] == []


def test_chinese_headers_title_row_and_percent_strings(xlsx, taxonomy) -> None:
    path = xlsx(
        {
            "产业链清单": [
                ["2024 年度清单"],
                ["产业链编号", "产业链名称", "技术 类别", "对外依存度\n", "核心专利份额"],
                ["A1", "航空发动机", "基础零部件与材料", "90%", "９０％"],
            ]
        }
    )
    inv = read_inventory(path, taxonomy)
    assert inv.frame["import_dependence"].iloc[0] == 0.9
    assert inv.frame["core_patent_share"].iloc[0] == 0.9
    assert inv.frame["tech_category"].iloc[0] == "foundational"
    header = [i for i in inv.issues if i.code == "header_not_first_row"]
    assert header
    assert header[0].row == 2
    assert header[0].severity == Severity.ASSUMPTION
    assert inv.provenance(0, "import_dependence").cell == "D3"


def test_utf8_csv_reads_numbers_written_as_text_without_noise(csv_file, taxonomy) -> None:
    path = csv_file([HEADER, ["C01", "芯片", "", "mature", "0.35", "12"]])
    inv = read_inventory(path, taxonomy)
    assert inv.frame["supplier_count"].iloc[0] == 12
    assert inv.keys() == [("C01", None)]
    assert not [i for i in inv.issues if i.code == "number_stored_as_text"]
    assert inv.source is not None
    assert inv.source.encoding == "utf-8"


def test_sources_timeseries_and_trade_sheets(xlsx, taxonomy) -> None:
    path = xlsx(
        {
            "chains": [HEADER, ["C01", "芯片", "设计", "core", 0.9, 3]],
            "数据来源": [
                ["chain_id", "segment", "indicator", "evidence", "year", "illustrative"],
                ["C01", "设计", "对外依存度", "paper 004 table 2", 2021, "是"],
            ],
            "timeseries": [
                ["chain_id", "segment", "indicator", "year", "value"],
                ["C01", "设计", "rca_index", 2020, 0.6],
                ["C01", "设计", "RCA", 2018, "0,8"],
            ],
            "贸易数据": [
                ["product", "reporter", "partner", "year", "flow", "value"],
                ["C01", "chn", "WLD", 2020, "出口", 100],
                ["C01", "CHN", "USA", "2021", "M", "1,234,567"],
                ["C01", "CHINA", "USA", 2021, "M", 5],
            ],
        }
    )
    inv = read_inventory(path, taxonomy)
    prov = inv.provenance(0, "import_dependence")
    assert prov is not None
    assert (prov.cell, prov.evidence, prov.illustrative) == ("E2", "paper 004 table 2", True)
    assert inv.cell_years[("C01", "设计", "import_dependence")] == 2021
    assert [(p.year, p.value) for p in inv.series[("C01", "设计", "rca_index")]] == [
        (2018, 0.8),
        (2020, 0.6),
    ]
    trade = inv.trade
    assert isinstance(trade, pd.DataFrame)
    assert trade.to_dict("records") == [
        {
            "product": "C01",
            "reporter": "CHN",
            "partner": "WLD",
            "year": 2020,
            "flow": "export",
            "value": 100.0,
        },
        {
            "product": "C01",
            "reporter": "CHN",
            "partner": "USA",
            "year": 2021,
            "flow": "import",
            "value": 1234567.0,
        },
    ]
    bad = [i for i in inv.issues if i.code == "bad_trade_row"]
    assert bad
    assert bad[0].sheet == "贸易数据"
    assert bad[0].row == 4
    assert bad[0].value == "CHINA"


def test_ttr_and_tts_give_a_computed_ratio(xlsx, taxonomy) -> None:
    path = xlsx(
        {
            "chains": [
                ["chain_id", "chain_name", "恢复时间(天)", "tts_days"],
                ["C01", "芯片", 120, 60],
            ]
        }
    )
    inv = read_inventory(path, taxonomy)
    assert inv.frame["ttr_tts_ratio"].iloc[0] == 2.0
    prov = inv.provenance(0, "ttr_tts_ratio")
    assert prov is not None
    assert prov.kind == "computed"
    assert prov.cell == "C2/D2"


def test_path_may_be_a_string(xlsx, taxonomy) -> None:
    path = xlsx({"chains": [HEADER, ["C01", "芯片", None, None, 0.5, 1]]})
    assert len(read_inventory(Path(str(path)), taxonomy)) == 1


def test_trade_table_in_its_own_csv(csv_file, taxonomy) -> None:
    path = csv_file([
        ["产品", "报告国", "伙伴国", "年份", "流向", "贸易额(美元)"],
        ["IC", "CHN", "KOR", "2022", "进口", "1,000"],
        ["IC", "CHN", "WLD", "2022", "X", "2.5e3"],
        ["IC", "CHN", "KOR", "2022", "进口", "lots"],
    ], name="trade.csv")  # fmt: skip
    table, issues = read_trade_file(path, taxonomy)
    assert table[["partner", "flow", "value"]].values.tolist() == [
        ["KOR", "import", 1000.0], ["WLD", "export", 2500.0]]  # fmt: skip
    assert [(i.code, i.row, i.column) for i in issues] == [("bad_trade_row", 4, "F value")]


def test_wide_timeseries_one_column_per_year(xlsx, taxonomy) -> None:
    path = xlsx({
        "chains": [["chain_id", "chain_name"], ["C1", "a"]],
        "指标时间序列": [["产业链编号", "指标", "2019", 2020, "2021年"],
                   ["C1", "RCA", 0.9, None, "0.7"], ["C1", "GDP", 1, 2, 3]],
    })  # fmt: skip
    inv = read_inventory(path, taxonomy)
    assert [(p.year, p.value) for p in inv.series[("C1", None, "rca_index")]] == [
        (2019, 0.9), (2021, 0.7)]  # fmt: skip
    assert [i.code for i in inv.issues] == ["unknown_indicator"]


def test_unit_words_after_numbers_are_dropped_and_reported(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "安全库存天数", "全球可供给方数量"],
            ["C1", "a", "30天", "3家"], ["C2", "b", 45, "5 家"]]  # fmt: skip
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    assert list(inv.frame["inventory_days"]) == [30.0, 45.0]
    assert list(inv.frame["supplier_count"]) == [3.0, 5.0]
    assert sorted((i.code, i.column) for i in inv.issues) == [
        ("unit_text_removed", "C 安全库存天数"),
        ("unit_text_removed", "D 全球可供给方数量"),
    ]
