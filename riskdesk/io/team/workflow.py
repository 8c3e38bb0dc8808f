"""Review and approval of a chain's assessment in a team database (issue 14).

A chain of a round goes draft → submitted → returned (with a comment) → submitted … → approved,
and an admin may reopen an approved chain (back to draft, with a reason). Every step is one call of
a SECURITY DEFINER function on the server (riskdesk.io.team.access), which checks the caller's
role and the rules and writes the review row, the judgement's status and the audit entry in one
transaction. This module only calls those functions and turns the server's refusals into
sentences in both languages; it decides nothing itself, so a client that skips it gains nothing.

Approving freezes a snapshot: the chain's effective result (engine result + the analyst's
decision, riskdesk.core.effective) as canonical JSON, whose SHA-256 the server computes and keeps.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field

from riskdesk.core.effective import EffectiveResult, effective_result
from riskdesk.core.models import Status
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.project.errors import ProjectError
from riskdesk.io.project.store import JUDGEMENT_COLUMNS, judgement_of_row

ROLE_WORDS = {
    "admin": ("管理员", "admin"),
    "approver": ("批准人", "approver"),
    "reviewer": ("审核员", "reviewer"),
    "assessor": ("评估员", "assessor"),
    "reader": ("查阅员", "reader"),
}
ACTION_WORDS = {
    "submit": ("提交", "submit"),
    "return": ("退回", "return"),
    "approve": ("批准", "approve"),
    "reopen": ("重新打开", "reopen"),
    "status": ("更改审批状态", "change the review status"),
    "edit": ("修改数据", "edit data"),
    "read": ("查阅", "read it"),
}
STATUS_WORDS = {
    "draft": ("草稿", "draft"),
    "submitted": ("已提交", "submitted"),
    "returned": ("已退回", "returned"),
    "approved": ("已批准", "approved"),
}
# Snapshot fields left out: the review row carries the status, who and when.
_NOT_FROZEN = {"status", "status_by", "status_at"}


class ReviewError(ProjectError):
    """The server refused a review step; the sentence says why."""


class ReviewRoleError(ReviewError):
    """The user's role may not take this step (SQLSTATE 42501 on the server)."""


class SelfApprovalError(ReviewError):
    pass


class ReviewStateError(ReviewError):
    pass


class ChainFrozenError(ReviewError):
    """The chain is submitted or approved; its data cannot be edited until returned/reopened."""


class StaleReviewError(ReviewError):
    pass


class SnapshotMismatchError(ReviewError):
    pass


class ReviewStatus(BaseModel):
    """One chain's place in the workflow, as the server holds it."""

    round: str
    chain_id: str
    status: str = "draft"
    assessor: str | None = None
    submitted_at: str | None = None
    reviewer: str | None = None
    comment: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None
    snapshot_sha256: str | None = None
    version: int = 0
    snapshot: str | None = Field(default=None, repr=False, description="the frozen JSON text")

    def status_word(self, lang: str) -> str:
        zh, en = STATUS_WORDS.get(self.status, (self.status, self.status))
        return zh if lang == "zh" else en


_COLUMNS = ("round", "chain_id", "status", "assessor", "submitted_at", "reviewer", "comment",
            "approved_by", "approved_at", "snapshot_sha256", "version", "snapshot")


@contextmanager
def _refusals(engine: sa.Engine, action: str) -> Iterator[None]:
    """The server's refusals inside the block as sentences (ProjectError subclasses)."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        raise translate(exc, engine, action) from None


def _call(engine: sa.Engine, sql: str, params: dict[str, Any], action: str) -> Any:
    with _refusals(engine, action), engine.begin() as conn:
        return conn.execute(sa.text(sql), params).scalar_one()


def submit(engine: sa.Engine, round: str, chain_id: str, *, version: int | None = None) -> int:
    """Hand the chain's assessment to review; returns the review's new version."""
    return int(_call(engine, "SELECT review_submit(:r, :c, :v)",
                     {"r": round, "c": chain_id, "v": version}, "submit"))


def return_(engine: sa.Engine, round: str, chain_id: str, comment: str, *,
            version: int | None = None) -> int:
    """Send the assessment back to its assessor with a comment (reviewer or approver)."""
    return int(_call(engine, "SELECT review_return(:r, :c, :m, :v)",
                     {"r": round, "c": chain_id, "m": comment, "v": version}, "return"))


def approve(engine: sa.Engine, round: str, chain_id: str, *, snapshot: str | None = None,
            version: int | None = None) -> str:
    """Approve the submitted assessment, freezing its effective result; returns the snapshot's
    SHA-256 as the server computed it (checked against the one computed here)."""
    if snapshot is None:
        with _refusals(engine, "approve"):
            snapshot = snapshot_text(effective_of(engine, round, chain_id))
    digest = str(_call(engine, "SELECT review_approve(:r, :c, :s, :v)",
                       {"r": round, "c": chain_id, "s": snapshot, "v": version}, "approve"))
    if digest != sha256_of(snapshot):
        raise SnapshotMismatchError(
            f"the server's hash of the snapshot of {chain_id} differs from the client's",
            f"服务器计算的 {chain_id} 快照哈希与本机计算的不一致",
        )
    return digest


def reopen(engine: sa.Engine, round: str, chain_id: str, reason: str, *,
           version: int | None = None) -> int:
    """Open an approved chain for editing again (admin, with a reason)."""
    return int(_call(engine, "SELECT review_reopen(:r, :c, :m, :v)",
                     {"r": round, "c": chain_id, "m": reason, "v": version}, "reopen"))


def status_of(engine: sa.Engine, round: str, chain_id: str) -> ReviewStatus:
    """The chain's review state (draft when it never entered the workflow)."""
    found = _select(engine, "WHERE round = :r AND chain_id = :c", {"r": round, "c": chain_id})
    return found[0] if found else ReviewStatus(round=round, chain_id=chain_id)


def statuses(engine: sa.Engine, round: str) -> list[ReviewStatus]:
    """Every chain of the round (in inventory order) with its review state."""
    with _refusals(engine, "read"), engine.connect() as conn:
        chain_ids = [str(r[0]) for r in conn.execute(sa.text(
            "SELECT chain_id FROM chains WHERE round = :r GROUP BY chain_id "
            "ORDER BY min(position)"), {"r": round})]
    known = {s.chain_id: s for s in _select(engine, "WHERE round = :r", {"r": round})}
    return [known.get(c) or ReviewStatus(round=round, chain_id=c) for c in chain_ids]


def _select(engine: sa.Engine, where: str, params: dict[str, Any]) -> list[ReviewStatus]:
    with _refusals(engine, "read"), engine.connect() as conn:
        rows = conn.execute(sa.text(f"SELECT {', '.join(_COLUMNS)} FROM review {where}"), params)
        return [ReviewStatus.model_validate(dict(r._mapping)) for r in rows]


# --- snapshots -----------------------------------------------------------------------------------


def sha256_of(snapshot: str) -> str:
    return hashlib.sha256(snapshot.encode("utf-8")).hexdigest()


def snapshot_text(effective: EffectiveResult) -> str:
    """The frozen form of an effective result: canonical JSON of the whole model (so it reads
    back into an EffectiveResult), without the status fields the review row carries."""
    data = effective.model_dump(mode="json", exclude=_NOT_FROZEN)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def frozen_result(status: ReviewStatus) -> EffectiveResult:
    """The approved snapshot read back, its hash verified, with the approval as its status."""
    if status.status != "approved" or status.snapshot is None:
        raise ReviewStateError(
            f"chain {status.chain_id} is not approved ({status.status_word('en')})",
            f"链条 {status.chain_id} 尚未批准（{status.status_word('zh')}）",
        )
    if sha256_of(status.snapshot) != status.snapshot_sha256:
        raise SnapshotMismatchError(
            f"the approved snapshot of {status.chain_id} does not match its recorded hash "
            "(altered after approval)",
            f"链条 {status.chain_id} 的批准快照与记录的哈希不符（批准后被改动）",
        )
    result = EffectiveResult.model_validate_json(status.snapshot)
    at = None if status.approved_at is None else datetime.fromisoformat(status.approved_at)
    return result.model_copy(update={"status": Status.APPROVED, "status_by": status.approved_by,
                                     "status_at": at})


def effective_of(engine: sa.Engine, round: str, chain_id: str) -> EffectiveResult:
    """The chain's effective result now: its latest stored engine result in the round with the
    current judgement applied, under the taxonomy that result was computed with."""
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT a.result, r.taxonomy_sha256, t.canonical FROM assessments a "
            "JOIN runs r ON r.id = a.run_id JOIN taxonomies t ON t.sha256 = r.taxonomy_sha256 "
            "WHERE r.round = :r AND a.chain_id = :c AND a.segment = '' "
            "ORDER BY r.id DESC LIMIT 1"), {"r": round, "c": chain_id}).first()
        if row is None:
            raise ReviewStateError(
                f"chain {chain_id} has no stored assessment in round {round}; assess it first",
                f"链条 {chain_id} 在轮次“{round}”中还没有评估结果，请先评估",
            )
        judgement = conn.execute(sa.text(
            f"SELECT {JUDGEMENT_COLUMNS} "
            "FROM judgements WHERE round = :r AND chain_id = :c AND segment = ''"),
            {"r": round, "c": chain_id}).first()
    engine_result = ChainResult.model_validate_json(row[0])
    taxonomy = Taxonomy.model_validate_json(row[2])
    return effective_result(engine_result, None if judgement is None else judgement_of_row(tuple(judgement)),
                            taxonomy, computed_with=str(row[1]))


# --- the server's refusals as sentences ----------------------------------------------------------


def roles_of(engine: sa.Engine, user: str | None = None) -> list[str]:
    """The riskdesk roles of a user (default: the connected one), highest first."""
    with engine.connect() as conn:
        text = conn.execute(sa.text("SELECT rd_roles_of(coalesce(:u, session_user::text))"),
                            {"u": user}).scalar_one()
    return [r for r in str(text).split(",") if r]


def _role_words(roles: list[str]) -> tuple[str, str]:
    if not roles:
        return "无 riskdesk 角色", "no riskdesk role"
    main = [r for r in roles if r != "reader"] or roles
    return "、".join(ROLE_WORDS[r][0] for r in main), ", ".join(ROLE_WORDS[r][1] for r in main)


def refusal(exc: sa.exc.DBAPIError, engine: sa.Engine) -> ProjectError | None:
    """An edit refused by the server's roles or frozen-chain guard as a sentence; None for any
    other error (the caller re-raises it)."""
    if getattr(exc.orig, "sqlstate", None) not in ("42501", "RD001", "RD008"):
        return None
    return translate(exc, engine, "edit")


def translate(exc: sa.exc.DBAPIError, engine: sa.Engine, action: str) -> ProjectError:
    """The server's error as a sentence the user can act on."""
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    diag = getattr(orig, "diag", None)
    detail = getattr(diag, "message_detail", None) or ""
    hint = getattr(diag, "message_hint", None) or action
    act_zh, act_en = ACTION_WORDS.get(hint, ACTION_WORDS.get(action, (action, action)))
    if "CONNECT privilege" in str(orig):  # refused at log-in: no group of this database
        return ReviewRoleError(
            f"you may not connect to this team database (you hold none of its riskdesk roles), "
            f"so you cannot {act_en}",
            f"你无权连接该团队数据库（不具有其中任何 riskdesk 角色），不能{act_zh}",
            code="review_role")
    if state == "42501":
        if detail.startswith("roles="):
            roles = [r for r in detail.removeprefix("roles=").split(",") if r]
        else:
            roles = roles_of(engine)
        zh, en = _role_words(roles)
        return ReviewRoleError(f"your role ({en}) cannot {act_en}", f"你的角色（{zh}）不能{act_zh}",
                               code="review_role")
    if state == "RD002":
        return SelfApprovalError(
            "nobody approves their own assessment: you submitted this chain; another approver "
            "must approve it",
            "不能批准自己提交的评估：该链条由你提交，须由其他批准人批准", code="self_approval")
    if state == "RD003":
        zh, en = STATUS_WORDS.get(detail, (detail, detail))
        return ReviewStateError(f"cannot {act_en} a chain that is {en}",
                                f"链条处于“{zh}”状态，不能{act_zh}", code="review_state")
    if state == "RD001":
        zh, en = STATUS_WORDS.get(detail, (detail, detail))
        return ChainFrozenError(
            f"chain {hint} is {en} and cannot be edited until it is returned or reopened",
            f"链条 {hint} {zh}，在退回或重新打开之前不能修改", code="chain_frozen")
    if state == "RD004":
        return StaleReviewError(
            f"the review was changed meanwhile (by {detail or '—'}); reload",
            f"该审批已被他人更改（{detail or '—'}）；请重新加载", code="stale_review")
    if state == "RD005":
        return ReviewError(f"{act_en}: a comment saying why is required",
                           f"{act_zh}须填写理由", code="review_comment")
    if state == "RD006":
        return ReviewError(f"no chain {detail} in round {hint}",
                           f"轮次“{hint}”中没有链条 {detail}", code="review_unknown_chain")
    if state == "RD007":
        return SnapshotMismatchError("the snapshot sent for approval is not this chain's result",
                                     "提交批准的快照不是该链条的评估结果", code="review_snapshot")
    if state == "RD008":
        return ReviewRoleError(
            f"on a team database every change is signed by your database login ({detail}); "
            "it cannot be recorded under another name (leave out --analyst, or sign in as that "
            "person)",
            f"团队数据库中的每项修改都以你的数据库登录名（{detail}）署名，不能记在他人名下"
            "（请去掉 --analyst，或以其本人身份登录）", code="review_signer")
    message = getattr(diag, "message_primary", None) or str(orig)
    return ReviewError(f"the team database refused to {act_en}: {message}",
                       f"团队数据库拒绝{act_zh}：{message}", code="review_refused")
