"""`TeamStore`: the project store (`ProjectStore`) on a shared database through SQLAlchemy Core.

PostgreSQL (psycopg 3) for a team; SQLite works too (the store test-suite runs on both). What it
adds to the embedded store: stale edits refused (concurrency.py), chains held while edited, the
audit log kept one chain under concurrent writers (access.py), NOTIFY on commit, and the database
user as the name in the audit trail (`current_user()`: the server authenticated it).

    store = TeamStore.open("service=riskdesk")          # creates or checks the schema
    project = Project.connect("service=riskdesk")       # the same, as a Project
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, literal, select, text, update

from riskdesk.core.commands import ChainRef, Judgement
from riskdesk.core.models import Chain, IndicatorValue, Provenance
from riskdesk.io.project import audit as audit_log
from riskdesk.io.project.audit import AuditEntry, AuditVerification
from riskdesk.io.project.bulk import LocatedValue, RawValue
from riskdesk.io.project.errors import ProjectError
from riskdesk.io.project.store import ChainKey, RoundInfo, ValueRow, judgement_of_row
from riskdesk.io.team import migrate
from riskdesk.io.team import tables as t
from riskdesk.io.team.access import WRITE_LOCK_KEY
from riskdesk.io.team.concurrency import HOLD_SECONDS, ChainHold, hold_times
from riskdesk.io.team.connect import describe, team_engine, unreachable_as_project_error
from riskdesk.io.team.record_store import TeamRecords, dump_chain, is_analyst_value, seg, unseg

_AUDIT_COLS = (*audit_log.AUDIT_FIELDS, "prev_hash", "hash")
_JUDGEMENT_COLS = ("override_decision", "override_outcome", "override_reason", "override_by",
                   "override_at", "status", "status_by", "status_at", "measures", "note",
                   "carried_over")
_PLAIN_KEYS = {"kind", "file", "sheet", "cell", "illustrative"}


def _dump(model: Any) -> str:
    return json.dumps(model.model_dump(mode="json", exclude_none=True), ensure_ascii=False,
                      sort_keys=True)


class TeamStore(TeamRecords):
    """The project store on a team database (one per client; thread-safe like SqliteStore)."""

    def __init__(self, engine: Engine, address: str, user: str | None = None) -> None:
        self.address = address
        self.where = describe(address)
        super().__init__(engine, user or self.login(engine))

    @classmethod
    def open(cls, address: str, user: str | None = None, *, create: bool = True) -> TeamStore:
        """Connect; create the schema in an empty database (`create`) or bring it up to date.
        A foreign database or one from a newer riskdesk is refused before anything is written."""
        engine = team_engine(address)
        where = describe(address)
        try:
            with unreachable_as_project_error(where), engine.begin() as conn:
                if engine.dialect.name == "postgresql":  # two first clients: one creates
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": WRITE_LOCK_KEY})
                revision = migrate.check_database(conn, where)
                if revision is None and not create:
                    raise ProjectError(f"{where} holds no riskdesk team database yet",
                                       f"{where} 中尚无 riskdesk 团队数据库")
                if revision != migrate.head_revision():
                    migrate.upgrade(conn, where)
        except BaseException:
            engine.dispose()
            raise
        with unreachable_as_project_error(where):
            return cls(engine, address, user)

    @staticmethod
    def login(engine: Engine) -> str:
        """Who the database says we are (PostgreSQL's session user), else the OS user."""
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                return str(conn.execute(text("SELECT session_user")).scalar_one())
        from riskdesk.io.project.records import default_user

        return default_user()

    def current_user(self) -> str:
        """The database session user now (the role the server checks), whatever name
        `user` (what the audit trail records) was given."""
        return self.login(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def backup_to(self, target: Path) -> None:
        """A .rdproj copy of the whole team database (transfer.pull_to_file)."""
        from riskdesk.io.team.transfer import pull_to_file

        pull_to_file(self, target)

    def integrity_ok(self) -> bool:
        with self.engine.connect() as conn:
            return migrate.current_revision(conn) == migrate.head_revision()

    # --- meta and audit ----------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        value = self._scalar(select(t.meta.c.value).where(t.meta.c.key == key))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        self._upsert(t.meta, [{"key": key, "value": value}], ("key",), ("value",))

    def append_audit(self, entry: AuditEntry) -> AuditEntry:
        """Chain the entry to the head (the write lock of the transaction keeps it one chain)."""
        with self.transaction():
            head = self._one(select(t.audit.c.seq, t.audit.c.hash)
                             .order_by(t.audit.c.seq.desc()).limit(1))
            seq, prev = (0, audit_log.GENESIS) if head is None else (int(head[0]), str(head[1]))
            chained = entry.model_copy(update={"seq": seq + 1, "prev_hash": prev})
            chained = chained.model_copy(update={"hash": chained.expected_hash()})
            self._exec(insert(t.audit).values({k: getattr(chained, k) for k in _AUDIT_COLS}))
            self.set_meta("audit_head", f"{chained.seq}:{chained.hash}")
            return chained

    def audit_entries(self, chain_id: str | None = None) -> list[AuditEntry]:
        stmt = select(*(t.audit.c[c] for c in _AUDIT_COLS)).order_by(t.audit.c.seq)
        if chain_id is not None:
            stmt = stmt.where(t.audit.c.chain_id == chain_id)
        return [AuditEntry(**dict(zip(_AUDIT_COLS, row, strict=True)))
                for row in self._rows(stmt)]

    def verify_audit(self) -> AuditVerification:
        return audit_log.check(self.audit_entries(), self.get_meta("audit_head"))

    # --- rounds and chains -----------------------------------------------------------------

    def rounds(self) -> list[RoundInfo]:
        r = t.rounds
        names = ("name", "created_at", "created_by", "carried_from", "input_path", "input_sha256")
        rows = self._rows(select(*(r.c[n] for n in names)).order_by(r.c.created_at, r.c.name))
        return [RoundInfo(**dict(zip(names, row, strict=True))) for row in rows]

    def add_round(self, info: RoundInfo) -> None:
        self._exec(insert(t.rounds).values(info.model_dump()))

    def set_round_input(self, round: str, path: str | None, sha256: str | None) -> None:
        self._exec(update(t.rounds).where(t.rounds.c.name == round)
                   .values(input_path=path, input_sha256=sha256))

    def copy_round(self, from_round: str, to_round: str) -> int:
        """Copy chains, values and judgements, marked carried over; status restarts at draft."""
        stamp = (literal(self.version_now()), literal(self.user))
        c, v, j = t.chains, t.indicator_values, t.judgements
        self._exec(insert(c).from_select(
            ["round", "chain_id", "segment", "position", "profile", "carried_over", "version",
             "updated_by"],
            select(literal(to_round), c.c.chain_id, c.c.segment, c.c.position, c.c.profile,
                   literal(1), *stamp).where(c.c.round == from_round)))
        value_cols = ("chain_id", "segment", "indicator", "value", "unit", "year", "provenance")
        self._exec(insert(v).from_select(
            ["round", *value_cols, "carried_over", "version", "updated_by"],
            select(literal(to_round), *(v.c[n] for n in value_cols), literal(1), *stamp)
            .where(v.c.round == from_round)))
        kept = ("chain_id", "segment", "override_decision", "override_outcome",
                "override_reason", "override_by", "override_at")
        self._exec(insert(j).from_select(
            ["round", *kept, "status", "measures", "note", "carried_over", "version",
             "updated_by"],
            select(literal(to_round), *(j.c[n] for n in kept), literal("draft"), j.c.measures,
                   j.c.note, literal(1), *stamp).where(j.c.round == from_round)))
        self.changed(None)
        return int(self._scalar(select(func.count()).select_from(c)
                                .where(c.c.round == to_round)) or 0)

    def chains(self, round: str) -> list[Chain]:
        c = t.chains
        self.reading_round("chain", round)
        rows = self._rows(select(c.c.chain_id, c.c.segment, c.c.profile, c.c.version)
                          .where(c.c.round == round)
                          .order_by(c.c.position, c.c.chain_id, c.c.segment))
        for chain_id, segment, _, version in rows:
            self.saw(("chain", round, str(chain_id), str(segment)), int(version))
        return [Chain.model_validate_json(r[2]) for r in rows]

    def has_chain(self, ref: ChainRef, *, exact: bool = False) -> bool:
        c = t.chains
        cond = [c.c.round == ref.round, c.c.chain_id == ref.chain_id]
        if ref.segment is not None or exact:
            cond.append(c.c.segment == seg(ref.segment))
        return self._one(select(literal(1)).where(*cond).limit(1)) is not None

    def put_chain(self, round: str, chain: Chain) -> None:
        self.put_chains(round, [chain])

    def put_chains(self, round: str, chains: list[Chain]) -> None:
        """Insert or update many chains; new ones go after the round's existing chains."""
        c = t.chains
        existing = {(str(i), str(s)): int(p) for i, s, p in self._rows(
            select(c.c.chain_id, c.c.segment, c.c.position).where(c.c.round == round))}
        top = max(existing.values(), default=-1)
        stamp = {"version": self.version_now(), "updated_by": self.user}
        rows = []
        for chain in chains:
            key = (chain.chain_id, seg(chain.segment))
            position = existing.get(key)
            if position is None:
                top += 1
                position = existing[key] = top
            rows.append({"round": round, "chain_id": chain.chain_id, "segment": key[1],
                         "position": position, "profile": dump_chain(chain),
                         "carried_over": 0, **stamp})
            self.changed(chain.chain_id)
        self._upsert(c, rows, ("round", "chain_id", "segment"),
                     ("profile", "carried_over", "version", "updated_by"))

    # --- indicator values -----------------------------------------------------------------

    def _value_upsert(self, rows: list[dict[str, Any]]) -> None:
        stamp = {"version": self.version_now(), "updated_by": self.user, "carried_over": 0}
        for row in rows:
            row.update(stamp)
            self.changed(str(row["chain_id"]))
        self._upsert(t.indicator_values, rows, ("round", "chain_id", "segment", "indicator"),
                     ("value", "unit", "year", "provenance", "carried_over", "version",
                      "updated_by"))

    def put_value_rows(self, round: str, rows: list[RawValue]) -> None:
        names = ("chain_id", "segment", "indicator", "value", "unit", "year", "provenance")
        self._value_upsert([{"round": round, **dict(zip(names, r, strict=True))} for r in rows])

    def put_values(self, round: str, rows: list[ValueRow]) -> None:
        self._value_upsert([
            {"round": round, "chain_id": cid, "segment": seg(s), "indicator": v.indicator,
             "value": v.value, "unit": v.unit, "year": v.year, "provenance": _dump(v.provenance)}
            for cid, s, v in rows])

    def _value_select(self, round: str) -> Any:
        v = t.indicator_values
        self.reading_round("value", round)
        return select(v.c.chain_id, v.c.segment, v.c.indicator, v.c.value, v.c.unit, v.c.year,
                      v.c.provenance, v.c.version).where(v.c.round == round)

    def _seen_values(self, round: str, rows: Any) -> None:
        for r in rows:
            self.saw(("value", round, str(r[0]), str(r[1]), str(r[2])), int(r[7]))

    def value_rows(self, round: str) -> list[RawValue]:
        rows = self._rows(self._value_select(round))
        self._seen_values(round, rows)
        return [(str(c), str(s), str(i), val, u, y, str(p)) for c, s, i, val, u, y, p, _ in rows]

    def located_value_rows(self, round: str) -> list[LocatedValue]:
        """Plain imported locations split out (as SqliteStore does in SQL), the rest as JSON."""
        rows = self._rows(self._value_select(round))
        self._seen_values(round, rows)
        out: list[LocatedValue] = []
        for c, s, i, val, _, y, p, _ in rows:
            prov = json.loads(p)
            plain = (prov.get("kind") == "imported" and not prov.get("illustrative")
                     and set(prov) <= _PLAIN_KEYS)
            if plain:
                out.append((c, s, i, val, y, prov.get("file"), prov.get("sheet"),
                            prov.get("cell"), None))
            else:
                out.append((c, s, i, val, y, None, None, None, p))
        return out

    def value_table(self, round: str) -> dict[ChainKey, dict[str, float | None]]:
        c, v = t.chains, t.indicator_values
        table: dict[ChainKey, dict[str, float | None]] = {
            (str(i), unseg(str(s))): {}
            for i, s in self._rows(select(c.c.chain_id, c.c.segment).where(c.c.round == round))}
        for i, s, ind, val in self._rows(select(v.c.chain_id, v.c.segment, v.c.indicator,
                                                v.c.value).where(v.c.round == round)):
            table.setdefault((str(i), unseg(str(s))), {})[str(ind)] = val
        return table

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None:
        v = t.indicator_values
        row = self._one(select(v.c.value, v.c.unit, v.c.year, v.c.provenance, v.c.version)
                        .where(v.c.round == ref.round, v.c.chain_id == ref.chain_id,
                               v.c.segment == seg(ref.segment), v.c.indicator == indicator))
        key = ("value", ref.round, ref.chain_id, seg(ref.segment), indicator)
        self.saw(key, 0 if row is None else int(row[4]))
        if row is None:
            return None
        return IndicatorValue(indicator=indicator, value=row[0], unit=row[1], year=row[2],
                              provenance=Provenance.model_validate_json(row[3]))

    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None:
        where = {"round": ref.round, "chain_id": ref.chain_id, "segment": seg(ref.segment),
                 "indicator": indicator}
        values = None if value is None else {
            "value": value.value, "unit": value.unit, "year": value.year,
            "provenance": _dump(value.provenance), "carried_over": 0}
        self.guarded_write(t.indicator_values, where, values,
                           ("value", ref.round, ref.chain_id, seg(ref.segment), indicator),
                           f"{ref.describe()} {indicator}")

    def values(self, round: str) -> list[ValueRow]:
        rows = sorted(self._rows(self._value_select(round)), key=lambda r: (r[0], r[1], r[2]))
        self._seen_values(round, rows)
        return [(str(c), unseg(str(s)), IndicatorValue(
                    indicator=i, value=val, unit=u, year=y,
                    provenance=Provenance.model_validate_json(p)))
                for c, s, i, val, u, y, p, _ in rows]

    def expert_cells(self, round: str) -> set[tuple[str, str | None, str]]:
        v = t.indicator_values
        rows = self._rows(select(v.c.chain_id, v.c.segment, v.c.indicator, v.c.provenance)
                          .where(v.c.round == round, v.c.carried_over == 0))
        return {(str(c), unseg(str(s)), str(i)) for c, s, i, p in rows if is_analyst_value(p)}

    # --- judgements ---------------------------------------------------------------------------

    def get_judgement(self, ref: ChainRef) -> Judgement:
        j = t.judgements
        row = self._one(select(*(j.c[n] for n in _JUDGEMENT_COLS), j.c.version)
                        .where(j.c.round == ref.round, j.c.chain_id == ref.chain_id,
                               j.c.segment == seg(ref.segment)))
        self.saw(("judgement", ref.round, ref.chain_id, seg(ref.segment)),
                 0 if row is None else int(row[-1]))
        return Judgement() if row is None else judgement_of_row(tuple(row)[:-1])

    def judgements(self, round: str) -> dict[ChainKey, Judgement]:
        j = t.judgements
        self.reading_round("judgement", round)
        rows = self._rows(select(j.c.chain_id, j.c.segment,
                                 *(j.c[n] for n in _JUDGEMENT_COLS), j.c.version)
                          .where(j.c.round == round))
        out: dict[ChainKey, Judgement] = {}
        for row in rows:
            self.saw(("judgement", round, str(row[0]), str(row[1])), int(row[-1]))
            out[(str(row[0]), unseg(str(row[1])))] = judgement_of_row(tuple(row)[2:-1])
        return out

    def put_judgement(self, ref: ChainRef, judgement: Judgement) -> None:
        o, s = judgement.override, judgement.status
        measures = None if judgement.measures is None else json.dumps(
            [m.model_dump(mode="json", exclude_none=True) for m in judgement.measures],
            ensure_ascii=False)
        values = {
            "override_decision": o.decision if o else None,
            "override_outcome": o.outcome.value if o else None,
            "override_reason": o.reason if o else None, "override_by": o.by if o else None,
            "override_at": o.at.isoformat() if o and o.at else None,
            "status": s.status.value, "status_by": s.by,
            "status_at": s.at.isoformat() if s.at else None,
            "measures": measures, "note": judgement.note,
            "carried_over": int(judgement.carried_over),
        }
        self.guarded_write(t.judgements, {"round": ref.round, "chain_id": ref.chain_id,
                                          "segment": seg(ref.segment)}, values,
                           ("judgement", ref.round, ref.chain_id, seg(ref.segment)),
                           f"{ref.describe()}")

    # --- chains being edited ------------------------------------------------------------------

    def hold_chain(self, round: str, chain_id: str, seconds: float = HOLD_SECONDS) -> ChainHold:
        """Hold a chain while editing it (or renew our hold); returns the hold in force — ours,
        or a colleague's that has not expired (then nothing changed)."""
        h = t.chain_holds
        with self.transaction():
            held_at, expires_at = hold_times(seconds)
            current = self._one(select(h.c.held_by, h.c.held_at, h.c.expires_at)
                                .where(h.c.round == round, h.c.chain_id == chain_id))
            if current is not None and current[0] != self.user and current[2] > held_at:
                return ChainHold(round=round, chain_id=chain_id, held_by=current[0],
                                 held_at=current[1], expires_at=current[2])
            if current is not None and current[0] == self.user:
                held_at = current[1]
            self._upsert(h, [{"round": round, "chain_id": chain_id, "held_by": self.user,
                              "held_at": held_at, "expires_at": expires_at}],
                         ("round", "chain_id"), ("held_by", "held_at", "expires_at"))
            return ChainHold(round=round, chain_id=chain_id, held_by=self.user,
                             held_at=held_at, expires_at=expires_at)

    def release_chain(self, round: str, chain_id: str) -> None:
        h = t.chain_holds
        with self.transaction():
            self._exec(delete(h).where(h.c.round == round, h.c.chain_id == chain_id,
                                       h.c.held_by == self.user))

    def holders(self, round: str) -> dict[str, ChainHold]:
        """Chains of the round held now (expired holds are not shown), by chain id."""
        h = t.chain_holds
        now, _ = hold_times(0)
        rows = self._rows(select(h.c.chain_id, h.c.held_by, h.c.held_at, h.c.expires_at)
                          .where(h.c.round == round, h.c.expires_at > now))
        return {str(c): ChainHold(round=round, chain_id=c, held_by=b, held_at=a, expires_at=e)
                for c, b, a, e in rows}

    def counts(self) -> dict[str, int]:
        """Rows per project table (what a push or pull reports)."""
        return {table.name: int(self._scalar(select(func.count()).select_from(table)) or 0)
                for table in t.PROJECT_TABLES}
