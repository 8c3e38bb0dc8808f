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

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, Field, ValidationError, field_validator

from riskdesk.core.inventory import SeriesPoint
from riskdesk.core.models import DataIssue, Provenance, Severity
from riskdesk.core.taxonomy import read_regular_text

WORLD = "WLD"
TOTAL = "TOTAL"
TRADE_COLUMNS = ("product", "reporter", "partner", "year", "flow", "value")
BILATERAL = ("tc_star", "rca_star")  # information indicators (computed with a partner, not scored)


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
        problems: list[str] = []
        text = read_regular_text(path, problems)
        if text is None:
            raise CountryRiskError(f"{problems[0]} (the country risk list)")
        text = text.removeprefix("\ufeff")
        ratings: dict[str, float] = {}
        header_seen = False
        if path.suffix.lower() == ".toml":
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise CountryRiskError(f"{path}: not valid TOML ({exc})") from None
            except RecursionError:
                raise CountryRiskError(f"{path}: nested too deeply to be read") from None
            table = data.get("ratings", {})
            if not isinstance(table, dict):
                raise CountryRiskError(
                    f"{path}: ratings must be a table of ISO3 = rating (e.g. [ratings] USA = 0.8), "
                    f"not {type(table).__name__} {str(table)[:40]}"
                )
            for iso, value in table.items():
                ratings[iso] = _number(path, f"ratings.{iso}", value)
            unrated = _number(path, "unrated", data.get("unrated", unrated))
            high_risk = _number(path, "high_risk", data.get("high_risk", high_risk))
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


def _number(path: Path, key: str, value: object) -> float:
    """A finite number from a TOML value, or a sentence naming file, key and value."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CountryRiskError(f"{path}: {key} must be a number from 0 to 1, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise CountryRiskError(f"{path}: {key} must be a finite number, not {value!r}")
    return number


@dataclass(frozen=True)
class ComputedValue:
    value: float | None
    year: int
    provenance: Provenance
    reason: str | None = None  # why the value is missing


@dataclass
class TradeIndicators:
    """Computed indicators per product key: the latest year's value and every year's series.

    A product key is the `product` text, or "product / segment" when the row names a segment;
    `targets` maps each key to the (chain_id, segment) whose row it fills. `shares` keeps the
    import partner shares of the latest year with imports (the robustness draws re-derive the
    country-rating indicators from them)."""

    latest: dict[tuple[str, str], ComputedValue] = field(default_factory=dict)
    series: dict[tuple[str, str], list[SeriesPoint]] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)
    targets: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    shares: dict[str, dict[str, float]] = field(default_factory=dict)


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


def tc_of_flows(exports: float | None, imports: float | None) -> tuple[float | None, str | None]:
    """TC from flows that may be absent: an absent flow is missing, not zero (a file without
    export rows says nothing about exports), so TC is then missing with the reason."""
    if exports is None and imports is None:
        return None, "no export or import rows"
    if exports is None:
        return None, "no export rows for the product (missing, not zero)"
    if imports is None:
        return None, "no import rows for the product (missing, not zero)"
    return tc_index(exports, imports)


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


OPTIONAL_TRADE_COLUMNS = ("segment", "code", "source_row")


def canonical_trade(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalise a trade table's dtypes and labels (flow X/M/出口/进口 → export/import).

    Optional columns pass through: `segment` (the row belongs to one segment of the chain named
    in `product`), `code` (the product code, e.g. HS, when a chain is made of several codes) and
    `source_row` (the row number in the file, for located messages)."""
    data: dict[str, pd.Series] = {
        "product": frame["product"].astype(str).str.strip(),
        "reporter": frame["reporter"].astype(str).str.strip().str.upper(),
        "partner": frame["partner"].astype(str).str.strip().str.upper(),
        "year": pd.to_numeric(frame["year"], errors="coerce"),
        "flow": frame["flow"].astype(str).str.strip().str.lower().map(_FLOW_LABELS),
        "value": pd.to_numeric(frame["value"], errors="coerce"),
    }
    for name in OPTIONAL_TRADE_COLUMNS:
        if name in frame.columns:
            column = frame[name].astype(object).where(frame[name].notna(), "")
            data[name] = column.astype(str).str.strip()
    out = pd.DataFrame(data)
    return out.dropna(subset=["year", "flow", "value"]).astype({"year": "int64"})


_FLOW_LABELS = {
    "export": "export", "exports": "export", "x": "export", "出口": "export",
    "import": "import", "imports": "import", "m": "import", "进口": "import",
}  # fmt: skip

TREND_OF = {"rca_index": "rca_trend", "tc_index": "tc_trend"}


def _code_digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def overlapping_codes(table: pd.DataFrame) -> dict[str, tuple[str, str, list[str]]]:
    """Per product key: two of its codes where one contains the other (an HS chapter with one
    of its headings, 85 and 8542), and the file rows involved. Summing them counts trade twice."""
    if "code" not in table.columns:
        return {}
    out: dict[str, tuple[str, str, list[str]]] = {}
    for key, rows in table.groupby("key", sort=True):
        codes = sorted({c for c in rows["code"] if _code_digits(c)}, key=_code_digits)
        for a_pos, a in enumerate(codes):
            da = _code_digits(a)
            b = next(
                (b for b in codes[a_pos + 1 :] if _code_digits(b).startswith(da) and b != a), None
            )
            if b is not None:
                where = rows[rows["code"].isin((a, b))]
                lines = (
                    sorted({r for r in where["source_row"] if r}, key=_row_number)
                    if "source_row" in where.columns
                    else []
                )
                out[str(key)] = (a, b, lines)
                break
    return out


def _row_number(text: str) -> int:
    digits = _code_digits(text)
    return int(digits) if digits else 0


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
    has_segment = "segment" in t.columns and bool((t["segment"] != "").any())
    if has_segment:
        t["key"] = np.where(t["segment"] != "", t["product"] + " / " + t["segment"], t["product"])
    else:
        t["key"] = t["product"]
    out = TradeIndicators()
    # sum rows of one key (several codes of one chain), then index by
    # (key, reporter, partner, year, flow); world rows are keyed by the product
    totals = t.groupby(["key", "reporter", "partner", "year", "flow"], sort=True)["value"].sum()
    lookup: dict[tuple[str, str, str, int, str], float] = {}
    for key, value in totals.items():
        parts: tuple[object, ...] = tuple(key)  # type: ignore[arg-type]
        lookup[(str(parts[0]), str(parts[1]), str(parts[2]), int(str(parts[3])), str(parts[4]))] = (
            float(value)
        )

    def get(product: str, reporter: str, partner_: str, year: int, flow: str) -> float | None:
        return lookup.get((product, reporter, partner_, year, flow))

    own = t[(t["reporter"] == country) & (t["product"] != TOTAL)]
    if products is not None:
        own = own[own["product"].isin(products)]
    overlaps = overlapping_codes(own)
    method = "UN Comtrade-style trade table"
    for key in sorted(set(own["key"])):
        rows = own[own["key"] == key]
        product = str(rows["product"].iloc[0])
        segment = str(rows["segment"].iloc[0]) if has_segment else ""
        out.targets[key] = (product, segment or None)
        if key in overlaps:
            out.issues.append(_overlap_issue(key, *overlaps[key], file))
            _refuse(out, key, rows, overlaps[key], file)
            continue
        years = sorted({int(y) for y in rows["year"]})
        for year in years:
            prov = Provenance(
                kind="computed",
                file=file,
                computed_from=f"trade rows for product {key}, {country}, {year}",
                method=method,
            )

            def flow_total(
                flow: str, key_: str = key, year_: int = year, rows_: pd.DataFrame = rows
            ) -> float | None:
                """The WLD row when given, else the sum over partners; None when no row."""
                value = get(key_, country, WORLD, year_, flow)
                if value is not None:
                    return value
                by_partner = rows_[
                    (rows_["year"] == year_) & (rows_["flow"] == flow) & (rows_["partner"] != WORLD)
                ]
                return float(by_partner["value"].sum()) if len(by_partner) else None

            x, m = flow_total("export"), flow_total("import")
            results: dict[str, tuple[float | None, str | None, str]] = {}
            tc, why = tc_of_flows(x, m)
            results["tc_index"] = (tc, why, "TC = (X − M) / (X + M)")
            # world rows are per product (a segment has no world row of its own)
            rca, why = rca_index(
                x,
                get(product, WORLD, WORLD, year, "export"),
                get(TOTAL, country, WORLD, year, "export"),
                get(TOTAL, WORLD, WORLD, year, "export"),
            )
            results["rca_index"] = (rca, why, "RCA = (X_cj / X_wj) / (X_c / X_w)")
            concentration, shares = _concentration(rows, year, m, risk)
            results.update(concentration)
            if shares:
                out.shares[key] = shares
            if partner:
                results.update(_bilateral(get, key, product, country, partner.upper(), year, x))
            for ind, (value, reason, formula) in results.items():
                p = prov.model_copy(update={"method": formula})
                if value is None:
                    out.issues.append(_missing_issue(key, ind, year, reason, file))
                else:
                    out.series.setdefault((key, ind), []).append(SeriesPoint(year, value))
                # years ascend: the latest year with a value wins; a missing value (with its
                # reason) stands only when no year could be computed
                if value is not None or (key, ind) not in out.latest:
                    out.latest[(key, ind)] = ComputedValue(value, year, p, reason)
        for level, trend in TREND_OF.items():
            series = out.series.get((key, level), [])
            if not series:
                continue
            slope = ls_slope(series)
            last_year = series[-1].year
            name = "RCA" if level == "rca_index" else "TC"
            reason = None if slope is not None else f"fewer than three years of {name}"
            out.latest[(key, trend)] = ComputedValue(
                slope,
                last_year,
                Provenance(
                    kind="computed",
                    file=file,
                    computed_from=f"{name} {series[0].year}–{last_year}",
                    method=f"least-squares slope of {name} per year",
                ),
                reason,
            )
    return out


def _refuse(
    out: TradeIndicators,
    key: str,
    rows: pd.DataFrame,
    overlap: tuple[str, str, list[str]],
    file: str | None,
) -> None:
    """Every trade indicator of a product with overlapping codes is missing, with the reason."""
    year = int(rows["year"].max())
    reason = f"overlapping product codes {overlap[0]} and {overlap[1]}"
    prov = Provenance(kind="computed", file=file, computed_from=f"trade rows for product {key}")
    for ind in ("tc_index", "rca_index", *_CONCENTRATION):
        out.latest[(key, ind)] = ComputedValue(None, year, prov, reason)


def _overlap_issue(key: str, a: str, b: str, lines: list[str], file: str | None) -> DataIssue:
    rows = ", ".join(lines)
    at_zh = f"（第 {rows} 行）" if rows else ""
    at_en = f" (rows {rows})" if rows else ""
    first = _row_number(lines[0]) if lines else None
    return DataIssue(
        severity=Severity.ERROR,
        code="trade_codes_overlap",
        message_zh=(
            f"产品 {key} 同时包含代码 {a} 与其下级代码 {b}{at_zh}：合计会重复计算贸易额，"
            "该产品的贸易指标未计算；请只保留同一层级的代码。"
        ),
        message_en=(
            f"product {key} holds code {a} together with its sub-code {b}{at_en}: summing them "
            "would count the trade twice, so its trade indicators are not computed; keep codes "
            "of one level only."
        ),
        file=file,
        sheet="trade",
        row=first or None,
        column="code",
        value=f"{a}, {b}",
    )


_CONCENTRATION = ("source_hhi", "top_source_share", "risk_weighted_hhi", "geo_risk_share")


def _concentration(
    rows: pd.DataFrame, year: int, total_imports: float | None, risk: CountryRiskList
) -> tuple[dict[str, tuple[float | None, str | None, str]], dict[str, float]]:
    """Concentration indicators and the partner shares they come from."""
    mask = (rows["year"] == year) & (rows["flow"] == "import") & (rows["partner"] != WORLD)
    part = rows[mask].groupby("partner", sort=True)["value"].sum()
    names = _CONCENTRATION
    formulas = (
        "HHI = Σ s_p²",
        "max s_p",
        "Σ s_p² · ρ_p",
        "Σ s_p over partners with ρ_p ≥ high-risk",
    )
    if part.empty:
        return {}, {}
    if (part < 0).any():
        reason = "negative import value"
        return {n: (None, reason, f) for n, f in zip(names, formulas, strict=True)}, {}
    denominator = total_imports if total_imports is not None else float(part.sum())
    if denominator <= 0:
        reason = "zero total imports"
        return {n: (None, reason, f) for n, f in zip(names, formulas, strict=True)}, {}
    shares = {str(p): float(v) / denominator for p, v in part.items()}
    if sum(shares.values()) > 1.0 + 1e-6:
        reason = "partner imports exceed the WLD total"
        return {n: (None, reason, f) for n, f in zip(names, formulas, strict=True)}, {}
    rho = {p: risk.rating(p) for p in shares}
    values = (
        sum(s * s for s in shares.values()),
        max(shares.values()),
        sum(s * s * rho[p] for p, s in shares.items()),
        sum(s for p, s in shares.items() if rho[p] >= risk.high_risk),
    )
    return {n: (v, None, f) for n, v, f in zip(names, values, formulas, strict=True)}, shares


Lookup = Callable[[str, str, str, int, str], float | None]


def _bilateral(
    lookup: Lookup,
    key: str,
    product: str,
    country: str,
    partner: str,
    year: int,
    x_cj: float | None,
) -> dict[str, tuple[float | None, str | None, str]]:
    x_cp = lookup(key, country, partner, year, "export")
    m_cp = lookup(key, country, partner, year, "import")
    out: dict[str, tuple[float | None, str | None, str]] = {}
    tc, why = tc_of_flows(x_cp, m_cp)
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
        message_zh=f"产品 {product} {year} 年的 {indicator} 无法计算：{_reason_zh(why)}，该指标记为无数据。",
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
    "fewer than three years of TC": "TC 不足三个年份",
    "no export or import rows": "没有出口或进口记录",
    "no export rows for the product (missing, not zero)": "没有该产品的出口记录（视为无数据，而非零）",
    "no import rows for the product (missing, not zero)": "没有该产品的进口记录（视为无数据，而非零）",
}


def _reason_zh(reason: str) -> str:
    if reason.startswith("overlapping product codes "):
        codes = reason.removeprefix("overlapping product codes ").replace(" and ", " 与 ")
        return f"产品代码 {codes} 存在上下级重叠"
    return _REASON_ZH.get(reason, reason)


@dataclass
class PartnerShares:
    """Import partner shares per inventory row, for re-deriving the country-rating indicators
    (risk_weighted_hhi = Σ s_p²·ρ_p, geo_risk_share = Σ s_p over ρ_p ≥ high) when the ratings
    move in the robustness draws. Only rows whose values came from the trade table are marked."""

    partners: tuple[str, ...]
    shares: npt.NDArray[np.float64]  # (rows, partners); 0 where the partner does not supply
    rwhhi_rows: npt.NDArray[np.bool_]
    geo_rows: npt.NDArray[np.bool_]
    ratings: npt.NDArray[np.float64]  # (partners,)
    high_risk: float
    rated: tuple[bool, ...] = ()  # per partner: on the country-risk list (else the unrated default)

    def derived(
        self, ratings: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """risk_weighted_hhi and geo_risk_share per row for ratings (…, partners)."""
        squared = self.shares * self.shares
        rwhhi = ratings @ squared.T
        geo = (ratings >= self.high_risk).astype(np.float64) @ self.shares.T
        return np.asarray(rwhhi, dtype=np.float64), np.asarray(geo, dtype=np.float64)

    def take(self, rows: npt.NDArray[np.int64]) -> PartnerShares:
        """The shares of some rows."""
        return PartnerShares(
            partners=self.partners,
            shares=self.shares[rows],
            rwhhi_rows=self.rwhhi_rows[rows],
            geo_rows=self.geo_rows[rows],
            ratings=self.ratings,
            high_risk=self.high_risk,
            rated=self.rated,
        )
