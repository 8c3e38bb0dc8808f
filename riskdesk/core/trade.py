"""Trade-derived indicators (SPEC §4.1, papers 000 and 001) from a long, Comtrade-style table.

Canonical columns: product, reporter (ISO3, WLD = world), partner (ISO3, WLD = all partners), year,
flow ("export" | "import"), value (USD). A product `TOTAL` carries all-products totals.

Per product and year, for the assessed country c:
* TC  = (X − M) / (X + M)                                          (000)
* RCA = (X_cj / X_wj) / (X_c / X_w)                                  (000; > 1.25 advantage)
* TC* = (X_cp,j − M_cp,j) / (X_cp,j + M_cp,j) against one partner p   (000's bilateral variant)
* RCA* = (X_cp,j / X_wp,j) / (X_cj / X_wj)                           (000's bilateral variant)
* partner shares s_p = M_cp,j / M_c,j (WLD never enters the shares): source_hhi = Σ s_p²,
  top_source_share = max s_p, risk_weighted_hhi = Σ s_p²·ρ_p, geo_risk_share = Σ s_p (ρ_p ≥ high)
* rca_trend = least-squares slope of RCA over the years (≥ 3 points)
Impossible inputs (zero or negative totals, missing world rows) give a missing value with the reason.
The latest year is reported; the whole series is kept for trends and charts.
"""

from __future__ import annotations

import csv
import io
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, Field, ValidationError, field_validator

from riskdesk.core.inventory import SeriesPoint
from riskdesk.core.models import DataIssue, Provenance, Severity

WORLD = "WLD"
TOTAL = "TOTAL"
TRADE_COLUMNS = ("product", "reporter", "partner", "year", "flow", "value")
BILATERAL = ("tc_star", "rca_star")  # series-only indicators, not scored


class CountryRiskError(ValueError):
    pass


class CountryRiskList(BaseModel):
    """The analyst's country risk list: ISO3 → rating in [0, 1] (never hard-coded)."""

    ratings: dict[str, float] = Field(default_factory=dict)
    unrated: float = Field(0.3, ge=0, le=1)
    high_risk: float = Field(0.7, ge=0, le=1)
    source: str | None = None

    @field_validator("ratings")
    @classmethod
    def _check(cls, ratings: dict[str, float]) -> dict[str, float]:
        for iso, rating in ratings.items():
            if len(iso) != 3 or not iso.isalpha():
                raise ValueError(f"'{iso}' is not an ISO3 country code")
            if not 0.0 <= rating <= 1.0 or math.isnan(rating):
                raise ValueError(f"{iso}: rating {rating} is outside [0, 1]")
        return {k.upper(): float(v) for k, v in ratings.items()}

    def rating(self, iso3: str) -> float:
        return self.ratings.get(iso3.upper(), self.unrated)

    @classmethod
    def load(cls, path: Path, *, unrated: float = 0.3, high_risk: float = 0.7) -> CountryRiskList:
        """Read a csv (`iso3,rating` with an optional header) or a TOML file (`[ratings]`)."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CountryRiskError(f"{path}: cannot read the country risk list ({exc})") from None
        ratings: dict[str, float] = {}
        header_seen = False
        if path.suffix.lower() == ".toml":
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise CountryRiskError(f"{path}: not valid TOML ({exc})") from None
            ratings = dict(data.get("ratings", {}))
            unrated = float(data.get("unrated", unrated))
            high_risk = float(data.get("high_risk", high_risk))
        else:
            for lineno, row in enumerate(csv.reader(io.StringIO(text)), start=1):
                if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                    continue
                iso, *rest = (c.strip() for c in row)
                if not rest:
                    raise CountryRiskError(f"{path}: row {lineno}: expected 'ISO3,rating'")
                try:
                    ratings[iso.upper()] = float(rest[0])
                except ValueError:
                    if not ratings and not header_seen:  # a header row before the data
                        header_seen = True
                        continue
                    raise CountryRiskError(
                        f"{path}: row {lineno}: rating '{rest[0]}' is not a number"
                    ) from None
        try:
            return cls(ratings=ratings, unrated=unrated, high_risk=high_risk, source=str(path))
        except ValidationError as err:
            msg = "; ".join(e["msg"].removeprefix("Value error, ") for e in err.errors())
            raise CountryRiskError(f"{path}: {msg}") from None


@dataclass(frozen=True)
class ComputedValue:
    value: float | None
    year: int
    provenance: Provenance
    reason: str | None = None  # why the value is missing


@dataclass
class TradeIndicators:
    """Computed indicators per product: the latest year's value and every year's series."""

    latest: dict[tuple[str, str], ComputedValue] = field(default_factory=dict)
    series: dict[tuple[str, str], list[SeriesPoint]] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)


def _ratio(num: float, den: float) -> float | None:
    if not (math.isfinite(num) and math.isfinite(den)) or den <= 0:
        return None
    return num / den


def tc_index(exports: float, imports: float) -> tuple[float | None, str | None]:
    if exports < 0 or imports < 0:
        return None, "negative trade value"
    total = exports + imports
    if total == 0:
        return None, "no trade in either direction (X + M = 0)"
    return (exports - imports) / total, None


def rca_index(
    x_cj: float | None, x_wj: float | None, x_c: float | None, x_w: float | None
) -> tuple[float | None, str | None]:
    if x_wj is None or x_w is None:
        return None, "world exports (reporter WLD) missing"
    if x_c is None:
        return None, "the country's total exports (product TOTAL) missing"
    if x_cj is None:
        return None, "the country's exports of the product missing"
    if min(x_cj, x_wj, x_c, x_w) < 0:
        return None, "negative trade value"
    share_j = _ratio(x_cj, x_wj)
    share_all = _ratio(x_c, x_w)
    if share_j is None or share_all is None or share_all == 0:
        return None, "zero world or country total"
    return share_j / share_all, None


def ls_slope(points: list[SeriesPoint]) -> float | None:
    """Least-squares slope per year; None with fewer than three points or one distinct year."""
    if len(points) < 3:
        return None
    n = len(points)
    mx = sum(p.year for p in points) / n
    my = sum(p.value for p in points) / n
    sxx = sum((p.year - mx) ** 2 for p in points)
    if sxx == 0:
        return None
    return sum((p.year - mx) * (p.value - my) for p in points) / sxx


def canonical_trade(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalise a trade table's dtypes and labels (flow X/M/出口/进口 → export/import)."""
    out = pd.DataFrame(
        {
            "product": frame["product"].astype(str).str.strip(),
            "reporter": frame["reporter"].astype(str).str.strip().str.upper(),
            "partner": frame["partner"].astype(str).str.strip().str.upper(),
            "year": pd.to_numeric(frame["year"], errors="coerce"),
            "flow": frame["flow"].astype(str).str.strip().str.lower().map(_FLOW_LABELS),
            "value": pd.to_numeric(frame["value"], errors="coerce"),
        }
    )
    return out.dropna(subset=["year", "flow", "value"]).astype({"year": "int64"})


_FLOW_LABELS = {
    "export": "export", "exports": "export", "x": "export", "出口": "export",
    "import": "import", "imports": "import", "m": "import", "进口": "import",
}  # fmt: skip


def compute_trade_indicators(
    trade: pd.DataFrame,
    *,
    country: str = "CHN",
    partner: str | None = None,
    risk: CountryRiskList | None = None,
    file: str | None = None,
    products: set[str] | None = None,
) -> TradeIndicators:
    """All trade indicators for every product (or the given ones) of a canonical trade table."""
    risk = risk or CountryRiskList()
    country = country.upper()
    t = canonical_trade(trade)
    out = TradeIndicators()
    # sum duplicates, then index by (product, reporter, partner, year, flow)
    totals = t.groupby(["product", "reporter", "partner", "year", "flow"], sort=True)["value"].sum()
    lookup: dict[tuple[str, str, str, int, str], float] = {}
    for key, value in totals.items():
        parts: tuple[object, ...] = tuple(key)  # type: ignore[arg-type]
        lookup[(str(parts[0]), str(parts[1]), str(parts[2]), int(str(parts[3])), str(parts[4]))] = (
            float(value)
        )

    def get(product: str, reporter: str, partner_: str, year: int, flow: str) -> float | None:
        return lookup.get((product, reporter, partner_, year, flow))

    own = t[(t["reporter"] == country) & (t["product"] != TOTAL)]
    wanted = sorted(set(own["product"]) if products is None else set(own["product"]) & products)
    method = "UN Comtrade-style trade table"
    for product in wanted:
        rows = own[own["product"] == product]
        years = sorted({int(y) for y in rows["year"]})
        for year in years:
            prov = Provenance(
                kind="computed",
                file=file,
                computed_from=f"trade rows for product {product}, {country}, {year}",
                method=method,
            )

            def flow_total(
                flow: str, product_: str = product, year_: int = year, rows_: pd.DataFrame = rows
            ) -> float | None:
                """The WLD row when given, else the sum over partners."""
                value = get(product_, country, WORLD, year_, flow)
                if value is not None:
                    return value
                by_partner = rows_[
                    (rows_["year"] == year_) & (rows_["flow"] == flow) & (rows_["partner"] != WORLD)
                ]
                return float(by_partner["value"].sum()) if len(by_partner) else None

            x, m = flow_total("export"), flow_total("import")
            results: dict[str, tuple[float | None, str | None, str]] = {}
            if x is not None or m is not None:
                tc, why = tc_index(x or 0.0, m or 0.0)
                results["tc_index"] = (tc, why, "TC = (X − M) / (X + M)")
            rca, why = rca_index(
                x,
                get(product, WORLD, WORLD, year, "export"),
                get(TOTAL, country, WORLD, year, "export"),
                get(TOTAL, WORLD, WORLD, year, "export"),
            )
            results["rca_index"] = (rca, why, "RCA = (X_cj / X_wj) / (X_c / X_w)")
            results.update(_concentration(rows, year, m, risk))
            if partner:
                results.update(_bilateral(get, product, country, partner.upper(), year, x))
            for ind, (value, reason, formula) in results.items():
                p = prov.model_copy(update={"method": formula})
                if value is None:
                    out.issues.append(_missing_issue(product, ind, year, reason, file))
                else:
                    out.series.setdefault((product, ind), []).append(SeriesPoint(year, value))
                # years ascend: the latest year with a value wins; a missing value (with its
                # reason) stands only when no year could be computed
                if value is not None or (product, ind) not in out.latest:
                    out.latest[(product, ind)] = ComputedValue(value, year, p, reason)
        rca_series = out.series.get((product, "rca_index"), [])
        slope = ls_slope(rca_series)
        if rca_series:
            last_year = rca_series[-1].year
            reason = None if slope is not None else "fewer than three years of RCA"
            out.latest[(product, "rca_trend")] = ComputedValue(
                slope,
                last_year,
                Provenance(
                    kind="computed",
                    file=file,
                    computed_from=f"RCA {rca_series[0].year}–{last_year}",
                    method="least-squares slope of RCA per year",
                ),
                reason,
            )
    return out


def _concentration(
    rows: pd.DataFrame, year: int, total_imports: float | None, risk: CountryRiskList
) -> dict[str, tuple[float | None, str | None, str]]:
    mask = (rows["year"] == year) & (rows["flow"] == "import") & (rows["partner"] != WORLD)
    part = rows[mask].groupby("partner", sort=True)["value"].sum()
    names = ("source_hhi", "top_source_share", "risk_weighted_hhi", "geo_risk_share")
    formulas = (
        "HHI = Σ s_p²",
        "max s_p",
        "Σ s_p² · ρ_p",
        "Σ s_p over partners with ρ_p ≥ high-risk",
    )
    if part.empty:
        return {}
    if (part < 0).any():
        return {n: (None, "negative import value", f) for n, f in zip(names, formulas, strict=True)}
    denominator = total_imports if total_imports is not None else float(part.sum())
    if denominator <= 0:
        return {n: (None, "zero total imports", f) for n, f in zip(names, formulas, strict=True)}
    shares = {str(p): float(v) / denominator for p, v in part.items()}
    if sum(shares.values()) > 1.0 + 1e-6:
        reason = "partner imports exceed the WLD total"
        return {n: (None, reason, f) for n, f in zip(names, formulas, strict=True)}
    rho = {p: risk.rating(p) for p in shares}
    values = (
        sum(s * s for s in shares.values()),
        max(shares.values()),
        sum(s * s * rho[p] for p, s in shares.items()),
        sum(s for p, s in shares.items() if rho[p] >= risk.high_risk),
    )
    return {n: (v, None, f) for n, v, f in zip(names, values, formulas, strict=True)}


Lookup = Callable[[str, str, str, int, str], float | None]


def _bilateral(
    lookup: Lookup, product: str, country: str, partner: str, year: int, x_cj: float | None
) -> dict[str, tuple[float | None, str | None, str]]:
    x_cp = lookup(product, country, partner, year, "export")
    m_cp = lookup(product, country, partner, year, "import")
    out: dict[str, tuple[float | None, str | None, str]] = {}
    if x_cp is not None or m_cp is not None:
        tc, why = tc_index(x_cp or 0.0, m_cp or 0.0)
        out["tc_star"] = (tc, why, f"TC* = (X_cp − M_cp) / (X_cp + M_cp), p = {partner}")
    x_wp = lookup(product, WORLD, partner, year, "export")
    x_wj = lookup(product, WORLD, WORLD, year, "export")
    rca, why = rca_index(x_cp, x_wp, x_cj, x_wj)
    out["rca_star"] = (rca, why, f"RCA* = (X_cp,j / X_wp,j) / (X_cj / X_wj), p = {partner}")
    return out


def _missing_issue(
    product: str, indicator: str, year: int, reason: str | None, file: str | None
) -> DataIssue:
    why = reason or "not computable"
    return DataIssue(
        severity=Severity.WARNING,
        code="trade_indicator_missing",
        message_zh=f"产品 {product} {year} 年的 {indicator} 无法计算：{_REASON_ZH.get(why, why)}，该指标记为缺失。",
        message_en=f"{indicator} for product {product} in {year} cannot be computed: {why}; it is left missing.",
        file=file,
        sheet="trade",
        value=product,
    )


_REASON_ZH = {
    "negative trade value": "存在负的贸易额",
    "no trade in either direction (X + M = 0)": "进出口均为零",
    "world exports (reporter WLD) missing": "缺少世界出口（WLD）数据",
    "the country's total exports (product TOTAL) missing": "缺少本国出口总额（TOTAL）",
    "the country's exports of the product missing": "缺少本国该产品出口额",
    "zero world or country total": "世界或本国总额为零",
    "negative import value": "存在负的进口额",
    "zero total imports": "进口总额为零",
    "partner imports exceed the WLD total": "分伙伴进口之和超过 WLD 总额",
    "fewer than three years of RCA": "RCA 不足三个年份",
}
