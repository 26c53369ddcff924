"""Pydantic models of every configuration file in ``config/``.

All settings are declared here with defaults and help, in one place
(as scrapy ``default_settings.py``); ``config.loader`` reads the YAML.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from duluan.text import strip_diacritics

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- provinces ---------------------------------------------------------------


class Place(Strict):
    """A name that points to the province: a former district, commune, landmark …"""

    name: str
    kind: Literal[
        "district", "commune", "city", "landmark", "river", "industrial_zone",
        "festival", "institution", "club", "island", "other",
    ] = "other"
    aliases: list[str] = Field(default_factory=list, description="other spellings, English names")
    former_of: str | None = Field(None, description="the absorbed province it belonged to")


class FormerProvince(Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)


class ReportDeadline(Strict):
    name: str
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


class ProvinceProfile(Strict):
    id: str
    name: str
    kind: Literal["province", "city"] = "province"
    aliases: list[str] = Field(default_factory=list, description="English spellings, abbreviations")
    absorbed: list[FormerProvince] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    negatives: list[str] = Field(
        default_factory=list,
        description="phrases that contain a province name but are not about it (hard negatives)",
    )
    report_deadlines: list[ReportDeadline] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise ValueError(f"id {v!r} must be a folded, hyphenated name such as 'hai-phong'")
        return v


class MapEntry(Strict):
    id: str
    name: str
    kind: Literal["province", "city"] = "province"
    absorbed: list[str] = Field(default_factory=list)

    def profile(self) -> ProvinceProfile:
        """The profile of a unit nobody wrote one for: its names with and without diacritics."""
        def plain(name: str) -> list[str]:
            return [x] if (x := strip_diacritics(name)) != name else []

        return ProvinceProfile(id=self.id, name=self.name, kind=self.kind, aliases=plain(self.name),
                               absorbed=[FormerProvince(name=a, aliases=plain(a)) for a in self.absorbed])


class ProvincesConfig(Strict):
    monitored: list[str] = Field(min_length=1)
    profiles: list[ProvinceProfile]
    map: list[MapEntry] = Field(default_factory=list, description="all 34 units after 1 July 2025")

    @model_validator(mode="after")
    def _monitored_have_profiles(self) -> "ProvincesConfig":
        """Any of the 34 units can be monitored: one without a hand-written profile gets one from its
        ``map`` entry (its name and the provinces it absorbed; its wards come from vietnam-provinces)."""
        known = {p.id for p in self.profiles}
        units = {m.id: m for m in self.map}
        missing = [m for m in self.monitored if m not in known and m not in units]
        if missing:
            raise ValueError(f"monitored provinces without a profile or map entry: {', '.join(missing)}"
                             f" (one of / một trong: {', '.join(sorted(known | set(units)))})")
        self.profiles = [*self.profiles, *(units[m].profile() for m in self.monitored if m not in known)]
        return self

    def profile(self, province_id: str) -> ProvinceProfile:
        for p in self.profiles:
            if p.id == province_id:
                return p
        raise KeyError(province_id)


# -- sources -----------------------------------------------------------------


class Source(Strict):
    id: str
    name: str
    kind: Literal["domestic", "foreign", "official"]
    scope: Literal["provincial", "national", "foreign"] = "national"
    language: str = Field("vi", pattern=r"^[a-z]{2}$")
    homepage: str | None = None
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    rate_limit_per_sec: float = Field(1.0, gt=0, description="requests per second to this source's hosts")
    interval_minutes: int = Field(30, ge=1)
    allow_private: bool = Field(
        False, description="allow the exact host:port of this source's own URLs even if private/loopback"
    )
    fabrication_record: bool = Field(False, description="outlet has a record of fabricated stories")
    max_section_pages: int = Field(50, ge=0)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not re.match(r"^[a-z0-9][a-z0-9_-]*$", v):
            raise ValueError(f"source id {v!r} may use only a-z, 0-9, '-' and '_'")
        return v

    @model_validator(mode="after")
    def _has_entry_point(self) -> "Source":
        if not (self.feeds or self.sitemaps or self.sections):
            raise ValueError(f"source {self.id!r} needs at least one of feeds, sitemaps or sections")
        return self

    def urls(self) -> list[str]:
        return [*self.feeds, *self.sitemaps, *self.sections] + ([self.homepage] if self.homepage else [])


class SourcesConfig(Strict):
    sources: list[Source]

    @model_validator(mode="after")
    def _unique(self) -> "SourcesConfig":
        seen: set[str] = set()
        for s in self.sources:
            if s.id in seen:
                raise ValueError(f"source id {s.id!r} appears twice")
            seen.add(s.id)
        return self


# -- agencies and routing ----------------------------------------------------


class Agency(Strict):
    id: str
    name: str
    name_en: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    replaced_by: str | None = None
    provinces: list[str] = Field(default_factory=list, description="empty: every monitored province")
    email: str | None = Field(None, description="where routed cases, reminders and notices for this agency go")
    symbol: str | None = Field(None, description="ký hiệu viết tắt in a notice number, e.g. CAT for Công an tỉnh")

    def active(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


class AgenciesConfig(Strict):
    agencies: list[Agency]

    def get(self, agency_id: str) -> Agency:
        for a in self.agencies:
            if a.id == agency_id:
                return a
        raise KeyError(agency_id)

    def current(self, agency_id: str, on: date) -> Agency:
        """Follow ``replaced_by`` until an agency active on ``on``."""
        a = self.get(agency_id)
        seen = {a.id}
        while not a.active(on) and a.replaced_by and a.replaced_by not in seen:
            a = self.get(a.replaced_by)
            seen.add(a.id)
        return a


class Route(Strict):
    topic: str
    label: str
    lead: list[str] = Field(min_length=1)
    support: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list, description="seed words for the topic classifier")


class RoutingConfig(Strict):
    always_inform: list[str] = Field(default_factory=list)
    routes: list[Route]

    def route(self, topic: str) -> Route | None:
        return next((r for r in self.routes if r.topic == topic), None)


# -- alerts ------------------------------------------------------------------


class AlertRule(Strict):
    id: str
    name: str
    min_severity: float = Field(0.0, ge=0, le=1)
    distorted_only: bool = False
    topics: list[str] = Field(default_factory=list)
    sentiments: list[str] = Field(default_factory=list, description="empty: any; e.g. [negative]")
    provinces: list[str] = Field(default_factory=list)
    channels: list[str] = Field(min_length=1)


class Channel(Strict):
    id: str
    type: Literal["email", "webhook"]
    to: list[str] = Field(default_factory=list)
    url: str | None = None
    secret: str | None = Field(None, description="webhook: HMAC-SHA256 key for the X-Duluan-Signature header")
    agency: str | None = Field(None, description="the recipient agency (police, propaganda board, press office …); "
                                                 "a viewer of that agency reads the cases of this channel's rules")

    @model_validator(mode="after")
    def _target(self) -> "Channel":
        if self.type == "email" and not self.to:
            raise ValueError(f"email channel {self.id!r} needs 'to' addresses")
        if self.type == "webhook" and not self.url:
            raise ValueError(f"webhook channel {self.id!r} needs a 'url'")
        return self


class AlertsConfig(Strict):
    channels: list[Channel] = Field(default_factory=list)
    rules: list[AlertRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_channels(self) -> "AlertsConfig":
        ids = {c.id for c in self.channels}
        for r in self.rules:
            for c in r.channels:
                if c not in ids:
                    raise ValueError(f"rule {r.id!r} names unknown channel {c!r}")
        return self


# -- settings ----------------------------------------------------------------


class CrawlSettings(Strict):
    user_agent: str = "duluan/0.1 (+https://github.com/duluan/duluan; press monitoring)"
    timeout_seconds: float = Field(20.0, gt=0)
    max_body_bytes: int = Field(10 * 1024 * 1024, gt=0, description="larger responses are cut off and recorded")
    max_redirects: int = Field(5, ge=0)
    retries: int = Field(2, ge=0)
    backoff_seconds: float = Field(0.5, ge=0)
    respect_robots: bool = True


class ElasticsearchSettings(Strict):
    urls: list[str] = Field(default_factory=list, description="empty: use the SQLite FTS5 index")
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    verify_certs: bool = True
    ca_certs: str | None = None
    index_prefix: str = "duluan"


class SmtpSettings(Strict):
    host: str = "127.0.0.1"
    port: int = Field(25, ge=1, le=65535)
    sender: str = "duluan@localhost"
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = Field(10.0, gt=0)

    def effective(self, environ: dict[str, str] | None = None) -> "SmtpSettings":
        """These settings with ``DULUAN_SMTP_HOST/PORT/USER/PASSWORD/STARTTLS/FROM`` applied over them."""
        import os

        env = os.environ if environ is None else environ
        changes: dict[str, object] = {}
        for var, key in (("HOST", "host"), ("USER", "username"), ("PASSWORD", "password"), ("FROM", "sender")):
            if env.get(f"DULUAN_SMTP_{var}"):
                changes[key] = env[f"DULUAN_SMTP_{var}"]
        if env.get("DULUAN_SMTP_PORT"):
            changes["port"] = int(env["DULUAN_SMTP_PORT"])
        if env.get("DULUAN_SMTP_STARTTLS"):
            changes["starttls"] = env["DULUAN_SMTP_STARTTLS"].strip().lower() in ("1", "true", "yes", "on")
        return self.model_copy(update=changes) if changes else self


class DueRule(Strict):
    min_severity: float = Field(ge=0, le=1)
    hours: float = Field(gt=0)


class CaseSettings(Strict):
    """Case deadlines, reminders, digests and who is told (issue #10)."""

    due: list[DueRule] = Field(
        default_factory=lambda: [DueRule(min_severity=0.8, hours=24), DueRule(min_severity=0.0, hours=72)],
        description="the first rule whose min_severity the case reaches gives its due time")
    remind_before_hours: float = Field(6, ge=0, description="remind the agency this long before the due time")
    check_minutes: int = Field(15, ge=1, description="how often the scheduler checks due dates")
    digest_hour: int = Field(7, ge=0, le=23, description="local hour of the daily digest")
    report_remind_days: int = Field(14, ge=0, description="remind the press office this many days before a report is due")
    press_office: str = Field("so-vhttdl", description="agency of the press office (Sở TTTT before 2025)")
    press_office_channel: str = Field("press-office", description="alert channel of the press office")
    timezone: str = "Asia/Ho_Chi_Minh"
    cli_password: bool = Field(False, description="every --as command reads the acting user's password from stdin "
                                                  "and checks it (for servers where several people share a shell)")
    password_min_length: int = Field(1, ge=1, description="shorter passwords are refused; raise it in production "
                                                         "(the CLI warns below 8 characters)")


class SpreadSettings(Strict):
    """How a claim's other appearances are proposed (issue #12); thresholds chosen on the test claims."""

    suggest: float = Field(0.45, ge=0, le=1, description="from this score an appearance is suggested to an analyst")
    confirm: float = Field(0.8, ge=0, le=1, description="from this score it is confirmed without asking")
    recheck_hours: float = Field(24, gt=0, description="how often confirmed appearances are fetched again")

    @model_validator(mode="after")
    def _ordered(self) -> "SpreadSettings":
        if self.confirm < self.suggest:
            raise ValueError(f"spread.confirm ({self.confirm}) must be ≥ spread.suggest ({self.suggest})")
        return self


class Settings(Strict):
    database_url: str = Field("sqlite:///duluan-data/duluan.db", description="SQLAlchemy URL of the record")
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    elasticsearch: ElasticsearchSettings = Field(default_factory=ElasticsearchSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    web_base_url: str = Field("http://127.0.0.1:8000", description="links in alerts point here")
    alert_max_attempts: int = Field(10, ge=1, description="after this many failed sends an alert stays failed")
    cases: CaseSettings = Field(default_factory=CaseSettings)
    spread: SpreadSettings = Field(default_factory=SpreadSettings)
