"""Set-up and review from the command line, as a department does it (issue 14): `riskdesk db
init / adduser / users`, `riskdesk review …` as different people, `riskdesk export --approved-only`
read back from the PDF, the workbook and the JSON. Every command runs in its own process."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from tests import pgserver

from .review_fixtures import DECIDED, REASON, riskdesk

PASSWORD = "Hé-光刻胶-2024!"


def _matches(verifier: str, password: str) -> bool:
    """RFC 5802 by hand: the stored key of this password with the stored salt."""
    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$", 1)
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt),
                                 int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return method == "SCRAM-SHA-256" and (
        base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key)


def test_a_department_sets_up_reviews_and_exports_only_what_was_approved(
        pg_server: pgserver.PgServer, pg_database: str, demo_project: Path,
        tmp_path: Path) -> None:
    name = sa.engine.make_url(pg_database).database
    assert name is not None
    admin_url = pg_server.url(name)
    for _ in range(2):  # init is idempotent
        out = riskdesk("db", "init", "--db", admin_url, "--lang", "en", cwd=tmp_path).stdout
        assert "team database ready" in out and "riskdesk_approver" in out
    riskdesk("db", "push", str(demo_project), "--db", admin_url, cwd=tmp_path)
    owner = sa.create_engine(admin_url)

    secret = tmp_path / "pw.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    said = ""
    for person, role in (("olga", "assessor"), ("pavel", "approver"), ("quinn", "reader")):
        done = riskdesk("db", "adduser", person, "--role", role, "--password-file", str(secret),
                        "--db", admin_url, "--lang", "en", cwd=tmp_path)
        said += done.stdout + done.stderr
    assert PASSWORD not in said and "added user olga (assessor)" in said
    with owner.connect() as conn:
        stored = conn.execute(sa.text("SELECT rolpassword FROM pg_authid WHERE rolname = 'olga'")
                              ).scalar_one()
    assert _matches(stored, PASSWORD) and not _matches(stored, PASSWORD + "x")
    no_password = riskdesk("db", "adduser", "zed", "--role", "reader", "--db", admin_url,
                           "--lang", "en", cwd=tmp_path, check=False)
    assert no_password.returncode == 2 and "--password-file" in no_password.stderr
    users = riskdesk("db", "users", "--db", admin_url, "--lang", "en", cwd=tmp_path).stdout
    assert any(line.split()[:2] == ["olga", "assessor"] for line in users.splitlines())

    def as_(person: str, *args: str, check: bool = True) -> str:
        done = riskdesk("review", *args, "--db", pg_server.url(name, person), cwd=tmp_path,
                        check=check)
        return done.stdout + done.stderr

    as_("olga", "submit", DECIDED, "AUTO-CHIP")
    refused = as_("olga", "approve", DECIDED, "--lang", "zh", check=False)
    assert "你的角色（评估员）不能批准" in refused
    assert "已批准" not in refused
    approved = as_("pavel", "approve", DECIDED, "--lang", "en")
    status = as_("quinn", "status", "--lang", "en")
    rows = {line.split()[0]: line for line in status.splitlines() if line.strip()}
    assert "Approved" not in rows["AUTO-CHIP"] and "submitted" in rows["AUTO-CHIP"]
    assert "approved" in rows[DECIDED] and "pavel" in rows[DECIDED]

    with owner.connect() as conn:
        snapshot = conn.execute(sa.text("SELECT snapshot FROM review WHERE chain_id = :c"),
                                {"c": DECIDED}).scalar_one()
    digest = hashlib.sha256(snapshot.encode("utf-8")).hexdigest()
    assert digest in approved

    pdf, xlsx, js = tmp_path / "approved.pdf", tmp_path / "approved.xlsx", tmp_path / "a.json"
    riskdesk("export", "--approved-only", "--db", pg_server.url(name, "quinn"), "--pdf", str(pdf),
             "--xlsx", str(xlsx), "--json", str(js), "--lang", "zh", cwd=tmp_path)

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    flat = "".join(text.split())
    assert "批准人：pavel" in flat
    assert digest in flat
    assert "已批准" in flat
    assert "AUTO-CHIP" not in flat  # submitted, not approved: not in the dossier

    data = json.loads(js.read_text(encoding="utf-8"))
    assert [c["chain_id"] for c in data["chains"]] == [DECIDED]
    chain = data["chains"][0]
    assert hashlib.sha256(chain["snapshot"].encode("utf-8")).hexdigest() == digest
    assert chain["review"]["approved_by"] == "pavel"
    assert chain["review"]["assessor"] == "olga"
    assert chain["status"] == "approved" and chain["effective_type"] == "destroyed"
    assert chain["decision"]["reason"] == REASON

    sheet = load_workbook(xlsx, read_only=True)["评估记录"]  # the Assessments sheet in zh
    rows_x = [list(r) for r in sheet.iter_rows(values_only=True)]
    col = {str(h): i for i, h in enumerate(rows_x[0])}
    mine = next(r for r in rows_x[1:] if r[col["chain_id"]] == DECIDED)
    assert mine[col["review_status"]] == "approved"
    assert mine[col["approved_by"]] == "pavel"
    assert mine[col["snapshot_sha256"]] == digest
    # the review steps are in the audit trail, which verifies
    history = riskdesk("history", "--db", pg_server.url(name, "quinn"), "--chain", DECIDED,
                       "--verify", "--lang", "en", cwd=tmp_path).stdout
    steps = [line for line in history.splitlines() if " review " in f" {line} "]
    assert any("olga" in line and "submit" in line for line in steps), history
    assert any("pavel" in line and "approve" in line for line in steps), history
    assert "audit trail intact: all" in history, history

    # an ordinary export of the team database shows where a chain stands
    submitted = tmp_path / "submitted.pdf"
    riskdesk("export", "--db", pg_server.url(name, "quinn"), "--chain", "AUTO-CHIP", "--pdf",
             str(submitted), "--lang", "en", cwd=tmp_path)
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(submitted).pages).split())
    assert "Submitted, awaiting approval" in flat
    owner.dispose()
