"""Who may do what: every role, action and fence in one place (as Aleph ``authz.py``).

Every command asks this module before it reads or changes a case; the answer is
either nothing (allowed) or ``PermissionDenied`` with a one-line reason.

    role       may                                              sees
    analyst    triage, open, route (auto or chosen), publish,   every case
               close, reports
    agency     draft the notice, attach evidence                cases routed to their own agency
    approver   approve or return with a comment, publish, close every case
    viewer     nothing but read                                 cases whose topic their alert rules cover
    admin      manage users; read (audited)                     every case

A disabled user can do nothing. Separation of duties: the agency that drafts never
approves, and the approver never drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duluan.config import Config
from duluan.errors import PermissionDenied

ROLES = ("analyst", "agency", "approver", "viewer", "admin")

ROLE_NAMES = {
    "analyst": "chuyên viên báo chí / press-office analyst",
    "agency": "cán bộ cơ quan / agency officer",
    "approver": "lãnh đạo phê duyệt / approver",
    "viewer": "người xem / viewer",
    "admin": "quản trị / admin",
}

# action → roles that may take it (the case fences below apply on top)
ALLOWED: dict[str, frozenset[str]] = {
    "open": frozenset({"analyst"}),
    "route": frozenset({"analyst"}),
    "triage": frozenset({"analyst"}),
    "draft": frozenset({"agency"}),
    "approve": frozenset({"approver"}),
    "return": frozenset({"approver"}),
    "publish": frozenset({"analyst", "approver"}),
    "close": frozenset({"analyst", "approver"}),
    "view": frozenset(ROLES),
    "report": frozenset({"analyst", "approver", "admin"}),
    "users": frozenset({"admin"}),
    "audit": frozenset({"analyst", "approver", "admin"}),
    "feedback": frozenset({"analyst", "admin"}),
    "claim": frozenset({"analyst", "agency"}),
    "link": frozenset({"analyst"}),
}

ACTION_NAMES = {
    "open": "mở hồ sơ / open a case", "route": "chuyển cơ quan / route", "triage": "xác nhận, bỏ qua / triage",
    "draft": "soạn thông cáo / draft", "approve": "phê duyệt / approve", "return": "trả lại / return",
    "publish": "công bố / publish", "close": "đóng hồ sơ / close", "view": "xem / view",
    "report": "lập báo cáo / report", "users": "quản lý người dùng / manage users",
    "audit": "kiểm tra nhật ký / verify the audit trail", "feedback": "xuất phản hồi / export feedback",
    "claim": "thêm nội dung cần làm rõ / add a claim", "link": "xác nhận nơi đăng lại / confirm an appearance",
}


@dataclass(frozen=True)
class Actor:
    """The acting user as policy sees them."""

    name: str
    role: str
    agency_id: str | None = None
    topics: tuple[str, ...] = field(default_factory=tuple)
    disabled: bool = False


def _deny(actor: Actor, action: str, why: str) -> PermissionDenied:
    return PermissionDenied(f"{actor.name} ({actor.role}) không được {ACTION_NAMES.get(action, action)}: {why}")


def require(actor: Actor, action: str) -> None:
    """Refuse unless the actor's role may take ``action`` at all."""
    if actor.disabled:
        raise _deny(actor, action, "tài khoản bị khóa / the account is disabled")
    if actor.role not in ALLOWED.get(action, frozenset()):
        allowed = ", ".join(sorted(ALLOWED.get(action, ())))
        raise _deny(actor, action, f"vai trò không cho phép / role not allowed (cần / needs: {allowed})")


def viewer_topics(actor: Actor, config: Config) -> set[str] | None:
    """Topics a viewer reads: their own list plus what the rules of their agency's channels cover.

    ``None`` means every topic (one of their rules names no topic, e.g. all distorted items).
    """
    topics = set(actor.topics)
    channels = {c.id for c in config.alerts.channels if c.agency and actor.agency_id and c.agency == actor.agency_id}
    for rule in config.alerts.rules:
        if channels & set(rule.channels):
            if not rule.topics:
                return None
            topics.update(rule.topics)
    return topics


def read_fence(actor: Actor, case_agency: str | None, case_topic: str | None, config: Config) -> str | None:
    """Why ``actor`` may not read a case with this agency and topic, or ``None`` if they may."""
    if actor.disabled:
        return "tài khoản bị khóa / the account is disabled"
    if actor.role in ("analyst", "approver", "admin"):
        return None
    if actor.role == "agency":
        if actor.agency_id and case_agency == actor.agency_id:
            return None
        return (f"hồ sơ không được chuyển cho cơ quan {actor.agency_id} / "
                f"the case is not routed to agency {actor.agency_id}")
    if actor.role == "viewer":
        topics = viewer_topics(actor, config)
        if topics is None or (case_topic is not None and case_topic in topics):
            return None
        return (f"chủ đề {case_topic or '—'} ngoài phạm vi theo dõi / topic {case_topic or '—'} "
                "is outside the topics your rules cover")
    return f"vai trò không rõ / unknown role {actor.role}"


def require_case(actor: Actor, action: str, case_agency: str | None, case_topic: str | None,
                 config: Config) -> None:
    """Refuse unless ``actor`` may take ``action`` on a case with this agency and topic."""
    require(actor, action)
    why = read_fence(actor, case_agency, case_topic, config)
    if why:
        raise _deny(actor, action, why)
    if action == "draft" and case_agency != actor.agency_id:  # belt and braces: only the routed agency drafts
        raise _deny(actor, action, "chỉ cơ quan được giao mới soạn / only the routed agency drafts")
