"""Who may do what in a team database, enforced by the PostgreSQL server itself (issue 14).

A desktop client holds database credentials, so a check in the client is no protection: every rule
here lives in the server. `install()` (run by `riskdesk db init` after the table migrations, and
idempotent) creates

* five NOLOGIN group roles, `<prefix>_reader`, `_assessor`, `_reviewer`, `_approver`, `_admin`
  (every other group is a member of reader; admin is a member of assessor), and a NOLOGIN
  `<prefix>_workflow` role that owns the workflow functions and nothing else;
* grants: a reader may only SELECT; an assessor writes chains, values, judgements, runs and appends
  to the audit (never UPDATE or DELETE it); nobody but the workflow role writes `review`;
* on the `review` table (one row per chain and round, created by migration b7e4c0de0002), the
  SECURITY DEFINER functions that move a
  chain through draft → submitted → returned / approved → (reopened) draft. They run as the
  workflow role with a pinned `search_path`, check `session_user`'s membership with `pg_has_role`
  and the rules (nobody approves what they submitted), and append every transition to the
  hash-chained audit in the same transaction, computing the hash in SQL exactly as
  `riskdesk.io.project.audit` does;
* triggers that refuse any change to the chains, values and judgements of a chain while it is
  submitted or approved, any change of a judgement's status outside the workflow functions, and
  audit entries of review steps written by anyone but those functions (admins excepted, for push).

Group roles are cluster-wide; a prefix per database (`--role-prefix`) keeps two departments on one
server apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from riskdesk.io.project.errors import ProjectError

ROLE_KINDS = ("reader", "assessor", "reviewer", "approver", "admin")
DEFAULT_PREFIX = "riskdesk"
# The advisory lock every write transaction on a team database takes first (the team store's
# riskdesk.io.team.access.WRITE_LOCK_KEY): it keeps the hash-chained audit a single chain when
# the workflow functions and clients append to it.
WRITE_LOCK_KEY = 0x52444B54
# Tables only the workflow functions write (besides the audit, which is append-only for all).
WORKFLOW_TABLES = ("review",)
# Tables whose rows belong to one chain of one round and freeze while it is submitted/approved.
CHAIN_TABLES = ("chains", "indicator_values", "judgements")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Roles:
    """The group role names of one team database."""

    prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        if not _NAME.match(self.prefix):
            raise ProjectError(
                f"role prefix '{self.prefix}' must be lower-case letters, digits and _",
                f"角色前缀“{self.prefix}”只能由小写字母、数字和下划线组成",
            )

    def of(self, kind: str) -> str:
        if kind not in (*ROLE_KINDS, "workflow"):
            raise ProjectError(
                f"unknown role '{kind}' (one of {', '.join(ROLE_KINDS)})",
                f"未知的角色“{kind}”（可选：{', '.join(ROLE_KINDS)}）",
            )
        return f"{self.prefix}_{kind}"

    @property
    def workflow(self) -> str:
        return self.of("workflow")


# The audit's canonical JSON (audit.AuditEntry.canonical): keys sorted, no spaces, non-ASCII kept.
# to_json(text)::text escapes exactly the characters Python's json.dumps(ensure_ascii=False) does.
_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION rd_json(p text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog
AS $$ SELECT coalesce(to_json(p)::text, 'null') $$;

CREATE OR REPLACE FUNCTION rd_now() RETURNS text
LANGUAGE sql VOLATILE SET search_path = pg_catalog
AS $$ SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',
                     'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') $$;

CREATE OR REPLACE FUNCTION rd_audit_append(
    p_action text, p_entity text, p_round text, p_chain text, p_field text,
    p_old text, p_new text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
    n bigint;
    prev text;
    at text := rd_now();
    body text;
    h text;
BEGIN
    PERFORM pg_advisory_xact_lock({write_lock});
    SELECT seq, hash INTO n, prev FROM audit ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        n := 0;
        prev := repeat('0', 64);
    END IF;
    n := n + 1;
    body := '{{"action":' || rd_json(p_action) || ',"at":' || rd_json(at)
        || ',"chain_id":' || rd_json(p_chain) || ',"entity":' || rd_json(p_entity)
        || ',"field":' || rd_json(p_field) || ',"new":' || rd_json(p_new)
        || ',"old":' || rd_json(p_old) || ',"round":' || rd_json(p_round)
        || ',"segment":null,"seq":' || n::text || ',"who":' || rd_json(session_user::text) || '}}';
    h := encode(sha256(convert_to(prev || body, 'UTF8')), 'hex');
    INSERT INTO audit(seq, at, who, action, entity, round, chain_id, segment, field, old, new,
                      prev_hash, hash)
    VALUES (n, at, session_user, p_action, p_entity, p_round, p_chain, NULL, p_field, p_old,
            p_new, prev, h);
    INSERT INTO meta(key, value) VALUES ('audit_head', n::text || ':' || h)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    RETURN n;
END $$;

CREATE OR REPLACE FUNCTION rd_roles_of(p_user text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog
AS $$ SELECT coalesce(string_agg(k, ',' ORDER BY o), '')
      FROM unnest(ARRAY['admin', 'approver', 'reviewer', 'assessor', 'reader'])
           WITH ORDINALITY AS t(k, o)
      WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{prefix}_' || k)
        AND pg_has_role(p_user, '{prefix}_' || k, 'MEMBER') $$;

CREATE OR REPLACE FUNCTION rd_require(p_kind text, p_action text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public
AS $$
BEGIN
    IF NOT pg_has_role(session_user, '{prefix}_' || p_kind, 'MEMBER') THEN
        RAISE EXCEPTION 'riskdesk: % may not %', session_user, p_action
            USING ERRCODE = '42501', DETAIL = 'roles=' || rd_roles_of(session_user::text),
                  HINT = p_action;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION rd_review_row(p_round text, p_chain text, p_version integer)
RETURNS review
LANGUAGE plpgsql SET search_path = pg_catalog, public
AS $$
DECLARE
    r review;
BEGIN
    PERFORM pg_advisory_xact_lock({write_lock});
    IF NOT EXISTS (SELECT 1 FROM chains WHERE round = p_round AND chain_id = p_chain) THEN
        RAISE EXCEPTION 'riskdesk: no chain % in round %', p_chain, p_round
            USING ERRCODE = 'RD006', DETAIL = p_chain, HINT = p_round;
    END IF;
    INSERT INTO review(round, chain_id) VALUES (p_round, p_chain) ON CONFLICT DO NOTHING;
    SELECT * INTO r FROM review WHERE round = p_round AND chain_id = p_chain FOR UPDATE;
    IF p_version IS NOT NULL AND r.version <> p_version THEN
        RAISE EXCEPTION 'riskdesk: review of % changed (version % not %)', p_chain, r.version,
                        p_version
            USING ERRCODE = 'RD004',
                  DETAIL = coalesce(r.approved_by, r.reviewer, r.assessor, ''),
                  HINT = r.status;
    END IF;
    RETURN r;
END $$;

CREATE OR REPLACE FUNCTION rd_require_status(r review, p_allowed text[], p_action text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT r.status = ANY (p_allowed) THEN
        RAISE EXCEPTION 'riskdesk: cannot % chain % while it is %', p_action, r.chain_id, r.status
            USING ERRCODE = 'RD003', DETAIL = r.status, HINT = p_action;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION rd_set_status(p_round text, p_chain text, p_status text)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public
AS $$
BEGIN
    -- A row's version is the seq of the audit entry that wrote it (as the team store does).
    UPDATE judgements SET status = p_status, status_by = session_user, status_at = rd_now(),
                          version = (SELECT coalesce(max(seq), 0) + 1 FROM audit),
                          updated_by = session_user, updated_at = rd_now()
    WHERE round = p_round AND chain_id = p_chain AND segment = '';
    IF NOT FOUND THEN
        INSERT INTO judgements(round, chain_id, segment, status, status_by, status_at,
                               version, updated_by, updated_at)
        VALUES (p_round, p_chain, '', p_status, session_user, rd_now(),
                (SELECT coalesce(max(seq), 0) + 1 FROM audit), session_user, rd_now());
    END IF;
END $$;

CREATE OR REPLACE FUNCTION rd_transition(r review, p_new text, p_action text, p_detail text)
RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, public
AS $$
BEGIN
    PERFORM rd_set_status(r.round, r.chain_id, p_new);
    PERFORM rd_audit_append(
        'review', 'status', r.round, r.chain_id, p_action, rd_json(r.status),
        CASE WHEN p_detail IS NULL THEN rd_json(p_new)
             ELSE '{{"detail":' || rd_json(p_detail) || ',"status":' || rd_json(p_new) || '}}' END);
    RETURN r.version + 1;
END $$;

CREATE OR REPLACE FUNCTION review_submit(p_round text, p_chain text,
                                         p_version integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
    r review;
BEGIN
    PERFORM rd_require('assessor', 'submit');
    r := rd_review_row(p_round, p_chain, p_version);
    PERFORM rd_require_status(r, ARRAY['draft', 'returned'], 'submit');
    UPDATE review SET status = 'submitted', assessor = session_user, submitted_at = rd_now(),
                      version = version + 1
    WHERE round = p_round AND chain_id = p_chain;
    RETURN rd_transition(r, 'submitted', 'submit', NULL);
END $$;

CREATE OR REPLACE FUNCTION review_return(p_round text, p_chain text, p_comment text,
                                         p_version integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
    r review;
BEGIN
    IF NOT (pg_has_role(session_user, '{prefix}_reviewer', 'MEMBER')
            OR pg_has_role(session_user, '{prefix}_approver', 'MEMBER')) THEN
        PERFORM rd_require('reviewer', 'return');
    END IF;
    IF length(btrim(coalesce(p_comment, ''))) = 0 THEN
        RAISE EXCEPTION 'riskdesk: a returned assessment needs a comment'
            USING ERRCODE = 'RD005', HINT = 'return';
    END IF;
    r := rd_review_row(p_round, p_chain, p_version);
    PERFORM rd_require_status(r, ARRAY['submitted'], 'return');
    UPDATE review SET status = 'returned', reviewer = session_user, comment = p_comment,
                      version = version + 1
    WHERE round = p_round AND chain_id = p_chain;
    RETURN rd_transition(r, 'returned', 'return', p_comment);
END $$;

CREATE OR REPLACE FUNCTION review_approve(p_round text, p_chain text, p_snapshot text,
                                          p_version integer DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
    r review;
    digest text;
BEGIN
    PERFORM rd_require('approver', 'approve');
    r := rd_review_row(p_round, p_chain, p_version);
    PERFORM rd_require_status(r, ARRAY['submitted'], 'approve');
    IF r.assessor = session_user THEN
        RAISE EXCEPTION 'riskdesk: % submitted chain % and cannot approve it', session_user,
                        p_chain
            USING ERRCODE = 'RD002', DETAIL = session_user::text, HINT = 'approve';
    END IF;
    -- the effective result (riskdesk.core.effective) of this very chain
    IF coalesce(p_snapshot::jsonb #>> '{{engine,chain_id}}', '') <> p_chain THEN
        RAISE EXCEPTION 'riskdesk: the snapshot is not the effective result of %', p_chain
            USING ERRCODE = 'RD007', HINT = 'approve';
    END IF;
    digest := encode(sha256(convert_to(p_snapshot, 'UTF8')), 'hex');
    UPDATE review SET status = 'approved', reviewer = coalesce(reviewer, session_user),
                      approved_by = session_user, approved_at = rd_now(), snapshot = p_snapshot,
                      snapshot_sha256 = digest, version = version + 1
    WHERE round = p_round AND chain_id = p_chain;
    PERFORM rd_transition(r, 'approved', 'approve', digest);
    RETURN digest;
END $$;

CREATE OR REPLACE FUNCTION review_reopen(p_round text, p_chain text, p_reason text,
                                         p_version integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
    r review;
BEGIN
    PERFORM rd_require('admin', 'reopen');
    IF length(btrim(coalesce(p_reason, ''))) = 0 THEN
        RAISE EXCEPTION 'riskdesk: reopening an approved assessment needs a reason'
            USING ERRCODE = 'RD005', HINT = 'reopen';
    END IF;
    r := rd_review_row(p_round, p_chain, p_version);
    PERFORM rd_require_status(r, ARRAY['approved'], 'reopen');
    UPDATE review SET status = 'draft', comment = p_reason, approved_by = NULL,
                      approved_at = NULL, snapshot = NULL, snapshot_sha256 = NULL,
                      version = version + 1
    WHERE round = p_round AND chain_id = p_chain;
    RETURN rd_transition(r, 'draft', 'reopen',
                         p_reason || ' (' || r.snapshot_sha256 || ')');
END $$;

CREATE OR REPLACE FUNCTION rd_guard_chain() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public
AS $$
DECLARE
    key_round text;
    key_chain text;
    frozen text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        key_round := OLD.round; key_chain := OLD.chain_id;
    ELSE
        key_round := NEW.round; key_chain := NEW.chain_id;
    END IF;
    IF TG_TABLE_NAME = 'judgements' AND current_user <> '{workflow}'
       AND NOT pg_has_role(current_user, '{prefix}_admin', 'MEMBER') THEN
        IF (TG_OP = 'INSERT' AND NEW.status <> 'draft')
           OR (TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status) THEN
            RAISE EXCEPTION 'riskdesk: the status of % changes only through the review workflow',
                            key_chain
                USING ERRCODE = '42501', HINT = 'status';
        END IF;
    END IF;
    IF current_user <> '{workflow}' THEN
        SELECT status INTO frozen FROM review
        WHERE round = key_round AND chain_id = key_chain AND status IN ('submitted', 'approved');
        IF FOUND THEN
            RAISE EXCEPTION 'riskdesk: chain % is % and cannot be edited', key_chain, frozen
                USING ERRCODE = 'RD001', DETAIL = frozen, HINT = key_chain;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION rd_guard_audit() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public
AS $$
BEGIN
    -- Review steps in the audit come only from the workflow functions (an admin's push of a
    -- pulled portfolio carries them over), so nobody can plant an approval in the trail.
    IF NEW.action = 'review' AND current_user <> '{workflow}'
       AND NOT pg_has_role(current_user, '{prefix}_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'riskdesk: review steps are recorded only by the review workflow'
            USING ERRCODE = '42501', HINT = 'status';
    END IF;
    RETURN NEW;
END $$;
"""

_FUNCTION_NAMES = {
    "review_submit": "text, text, integer",
    "review_return": "text, text, text, integer",
    "review_approve": "text, text, text, integer",
    "review_reopen": "text, text, text, integer",
}
_INTERNAL_FUNCTIONS = {
    "rd_json": "text", "rd_now": "", "rd_roles_of": "text", "rd_require": "text, text",
    "rd_review_row": "text, text, integer", "rd_require_status": "review, text[], text",
    "rd_set_status": "text, text, text", "rd_transition": "review, text, text, text",
    "rd_audit_append": "text, text, text, text, text, text, text",
}
# Who may call which workflow function (the function checks again, with the reason in words).
_EXECUTE = {
    "review_submit": ("assessor",),
    "review_return": ("reviewer", "approver"),
    "review_approve": ("approver",),
    "review_reopen": ("admin",),
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_roles(conn: sa.Connection, roles: Roles) -> None:
    for kind in (*ROLE_KINDS, "workflow"):
        name = roles.of(kind)
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                              {"n": name}).first()
        if exists is None:
            conn.execute(sa.text(f"CREATE ROLE {_quote(name)} NOLOGIN"))
    for kind in ("assessor", "reviewer", "approver", "admin"):
        conn.execute(sa.text(f"GRANT {_quote(roles.of('reader'))} TO {_quote(roles.of(kind))}"))
    conn.execute(sa.text(f"GRANT {_quote(roles.of('assessor'))} TO {_quote(roles.of('admin'))}"))


def _tables(conn: sa.Connection) -> list[str]:
    rows = conn.execute(sa.text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"))
    return [str(r[0]) for r in rows]


def _grant(conn: sa.Connection, roles: Roles) -> None:
    q = {kind: _quote(roles.of(kind)) for kind in (*ROLE_KINDS, "workflow")}
    database = conn.execute(sa.text("SELECT current_database()")).scalar_one()
    conn.execute(sa.text(f"REVOKE ALL ON DATABASE {_quote(str(database))} FROM PUBLIC"))
    everyone = ", ".join(q[k] for k in (*ROLE_KINDS, "workflow"))
    conn.execute(sa.text(f"GRANT CONNECT ON DATABASE {_quote(str(database))} "
                         f"TO {everyone}"))
    conn.execute(sa.text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    conn.execute(sa.text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
    tables = _tables(conn)
    for table in tables:
        t = _quote(table)
        conn.execute(sa.text(f"REVOKE ALL ON {t} FROM PUBLIC, {everyone}"))
        conn.execute(sa.text(f"GRANT SELECT ON {t} TO {q['reader']}, {q['workflow']}"))
        if table == "audit":
            conn.execute(sa.text(f"GRANT INSERT ON {t} TO {q['assessor']}, {q['workflow']}"))
        elif table in WORKFLOW_TABLES:
            conn.execute(sa.text(f"GRANT INSERT, UPDATE ON {t} TO {q['workflow']}"))
        elif table == "alembic_version":
            continue
        else:
            conn.execute(sa.text(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {q['assessor']}"))
    conn.execute(sa.text(f"GRANT INSERT, UPDATE ON meta, judgements TO {q['workflow']}"))
    conn.execute(sa.text(
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q['assessor']}, "
        f"{q['workflow']}"))


def _install_functions(conn: sa.Connection, roles: Roles) -> None:
    sql = _FUNCTIONS.format(prefix=roles.prefix, workflow=roles.workflow, write_lock=WRITE_LOCK_KEY)
    # psycopg sends each statement on its own; the bodies are dollar-quoted, so split there.
    for statement in _split(sql):
        _run(conn, statement)
    workflow = _quote(roles.workflow)
    for name, args in {**_INTERNAL_FUNCTIONS, **_FUNCTION_NAMES}.items():
        _run(conn, f"ALTER FUNCTION {name}({args}) OWNER TO {workflow}")
        _run(conn, f"REVOKE ALL ON FUNCTION {name}({args}) FROM PUBLIC")
    _run(conn, f"ALTER FUNCTION rd_guard_chain() OWNER TO {workflow}")
    everyone = ", ".join(_quote(roles.of(k)) for k in ROLE_KINDS)
    # The guard runs as whoever edits (it is not SECURITY DEFINER), so it needs these two.
    for name in ("rd_json", "rd_now"):
        _run(conn, f"GRANT EXECUTE ON FUNCTION {name}({_INTERNAL_FUNCTIONS[name]}) "
                             f"TO {everyone}")
    _run(conn, f"GRANT EXECUTE ON FUNCTION rd_roles_of(text) TO {everyone}")
    for name, kinds in _EXECUTE.items():
        grantees = ", ".join(_quote(roles.of(k)) for k in kinds)
        _run(conn, f"GRANT EXECUTE ON FUNCTION {name}({_FUNCTION_NAMES[name]}) "
                             f"TO {grantees}")
    _run(conn, f"ALTER FUNCTION rd_guard_audit() OWNER TO {workflow}")
    _run(conn, "DROP TRIGGER IF EXISTS rd_guard ON audit")
    _run(conn, "CREATE TRIGGER rd_guard BEFORE INSERT ON audit FOR EACH ROW "
               "EXECUTE FUNCTION rd_guard_audit()")
    for table in CHAIN_TABLES:
        _run(conn, f"DROP TRIGGER IF EXISTS rd_guard ON {table}")
        _run(conn, f"CREATE TRIGGER rd_guard BEFORE INSERT OR UPDATE OR DELETE ON "
                             f"{table} FOR EACH ROW EXECUTE FUNCTION rd_guard_chain()")


def _run(conn: sa.Connection, sql: str) -> None:
    """One statement straight to psycopg without parameters, so '%' in a RAISE stays itself."""
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(sql)


def _split(sql: str) -> list[str]:
    """Statements of the script: each ends with ';' outside a $$ body."""
    out: list[str] = []
    buffer: list[str] = []
    inside = False
    for line in sql.splitlines():
        buffer.append(line)
        inside ^= line.count("$$") % 2 == 1
        if not inside and line.rstrip().endswith(";"):
            text = "\n".join(buffer).strip().rstrip(";")
            if text:
                out.append(text)
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest:
        out.append(rest)
    return out


def install(conn: sa.Connection, roles: Roles | None = None) -> Roles:
    """Create (or bring up to date) roles, grants, the review table, workflow functions and
    guards, inside the caller's transaction. Needs a superuser or the database owner with
    CREATEROLE; safe to run again after every migration (new tables get their grants)."""
    roles = roles or Roles()
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
    recorded = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'role_prefix'")).scalar()
    if recorded is not None and str(recorded) != roles.prefix:
        _revoke(conn, Roles(str(recorded)))
    _create_roles(conn, roles)
    conn.execute(sa.text(
        "INSERT INTO meta(key, value) VALUES ('role_prefix', :p) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"p": roles.prefix})
    _install_functions(conn, roles)
    _grant(conn, roles)
    return roles


def _revoke(conn: sa.Connection, old: Roles) -> None:
    """The database's grants to a prefix it no longer uses (the groups stay: they are the
    server's, and may serve another database)."""
    present = {str(r[0]) for r in conn.execute(sa.text(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(:n)"),
        {"n": [old.of(k) for k in ROLE_KINDS]})}
    groups = [_quote(old.of(k)) for k in ROLE_KINDS if old.of(k) in present]
    if not groups:
        return
    who = ", ".join(groups)
    database = conn.execute(sa.text("SELECT current_database()")).scalar_one()
    _run(conn, f"REVOKE ALL ON DATABASE {_quote(str(database))} FROM {who}")
    _run(conn, f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}")
    _run(conn, f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {who}")
    _run(conn, f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {who}")
    _run(conn, f"REVOKE ALL ON SCHEMA public FROM {who}")


def installed_prefix(conn: sa.Connection) -> str:
    """The role prefix `install` recorded in this database (the default when absent)."""
    value = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'role_prefix'")).scalar()
    return DEFAULT_PREFIX if value is None else str(value)
