"""Users: argon2id password hashes (argon2-cffi), roles, the acting user of a command.

A password is only ever hashed or verified here; it is never stored, echoed or logged.
"""

from __future__ import annotations

from datetime import date

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from duluan.config import Config
from duluan.errors import CaseError, NotFound, PermissionDenied
from duluan.store import Database
from duluan.store.db import as_utc, guarded, utcnow
from duluan.store.schema import UserRow

from .policy import ROLES, Actor

_hasher = PasswordHasher()  # argon2id, the library's RFC 9106 low-memory profile


def _actor(row: UserRow) -> Actor:
    return Actor(name=row.name, role=row.role, agency_id=row.agency_id, topics=tuple(row.topics or ()),
                 disabled=bool(row.disabled))


def check_agency(config: Config, agency_id: str, on: date | None = None) -> str:
    """A known, current agency id; a replaced one is refused with its successor's id."""
    on = on or date.today()
    try:
        agency = config.agencies.get(agency_id)
    except KeyError:
        raise NotFound(f"không có cơ quan / no agency {agency_id!r}: xem / see `duluan agencies list`") from None
    current = config.agencies.current(agency_id, on)
    if current.id != agency.id or not agency.active(on):
        raise CaseError(f"cơ quan {agency_id} ({agency.name}) không còn hoạt động, nay là / is no longer active, "
                        f"now {current.id} ({current.name})")
    return agency.id


@guarded
def add_user(db: Database, config: Config, name: str, role: str, password: str, agency_id: str | None = None,
             email: str | None = None, topics: list[str] | None = None) -> dict:
    """Create a user; returns what may be shown of them (never the hash)."""
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise CaseError(f"tên người dùng không hợp lệ / invalid user name {name!r} (no spaces, 1–100 characters)")
    if role not in ROLES:
        raise CaseError(f"vai trò không hợp lệ / unknown role {role!r}; one of {', '.join(ROLES)}")
    if role == "agency" and not agency_id:
        raise CaseError("cán bộ cơ quan cần --agency / an agency officer needs --agency ID")
    # An analyst's, approver's or admin's agency is where they work; policy does not fence them by it.
    if agency_id:
        agency_id = check_agency(config, agency_id)
    minimum = config.settings.cases.password_min_length
    if not password or len(password) < minimum:
        raise CaseError(f"mật khẩu quá ngắn / password too short (at least {minimum} characters)")
    with db.session.begin() as s:
        if s.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
            raise CaseError(f"người dùng đã có / user {name!r} already exists")
        row = UserRow(name=name, role=role, agency_id=agency_id, topics=list(topics or []), email=email,
                      password_hash=_hasher.hash(password), disabled=False, created_at=utcnow())
        s.add(row)
        s.flush()
        return describe(row)


def describe(row: UserRow) -> dict:
    return {"id": row.id, "name": row.name, "role": row.role, "agency": row.agency_id, "email": row.email,
            "topics": list(row.topics or []), "disabled": bool(row.disabled),
            "created_at": as_utc(row.created_at).isoformat()}


@guarded
def list_users(db: Database) -> list[dict]:
    with db.session() as s:
        return [describe(r) for r in s.scalars(select(UserRow).order_by(UserRow.name))]


@guarded
def set_disabled(db: Database, name: str, disabled: bool) -> dict:
    with db.session.begin() as s:
        row = s.scalar(select(UserRow).where(UserRow.name == name))
        if row is None:
            raise NotFound(f"không có người dùng / no user {name!r}")
        row.disabled = disabled
        return describe(row)


@guarded
def acting_user(db: Database, name: str | None) -> Actor:
    """The user ``--as`` names; unknown or missing is refused (a disabled one is refused by policy)."""
    if not name:
        raise PermissionDenied("cần --as NGƯỜI_DÙNG / --as USER is required: the acting user")
    with db.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise PermissionDenied(f"không có người dùng / no user {name!r}")
    return _actor(row)


@guarded
def verify_password(db: Database, name: str, password: str) -> Actor:
    """The user if ``password`` is theirs and they are enabled, else ``PermissionDenied`` (same words either way)."""
    with db.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.name == name))
    refused = PermissionDenied("sai tên hoặc mật khẩu / wrong user name or password")
    if row is None:
        _hasher.hash(password)  # the same work whether or not the user exists
        raise refused
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise refused from None
    if row.disabled:
        raise PermissionDenied(f"tài khoản bị khóa / user {name} is disabled")
    return _actor(row)


@guarded
def emails_of_role(db: Database, role: str) -> list[tuple[str, str]]:
    """(name, email) of every enabled user of ``role`` who has an email address."""
    with db.session() as s:
        rows = s.scalars(select(UserRow).where(UserRow.role == role, UserRow.disabled.is_(False)))
        return [(r.name, r.email) for r in rows if r.email]
