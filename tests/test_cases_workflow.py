"""The case state machine, the role and agency fence, and the audit chain (``cases/workflow.py``, ``policy.py``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from cases_support import article, seed
from duluan.cases import audit, workflow
from duluan.cases.triage import decide
from duluan.cases.users import set_disabled, verify_password
from duluan.config import load_config
from duluan.errors import CaseError, NotFound, PermissionDenied, WorkflowError
from duluan.store import open_database
from duluan.store.db import utcnow


@pytest.fixture
def cfg():
    return load_config()


@pytest.fixture
def world(tmp_path, cfg):
    db = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    users = seed(db, cfg, article(), article("art-health", topic="health", severity=0.5))
    yield db, users
    db.close()


def test_the_whole_workflow_on_both_backends(record_url, cfg):
    db = open_database(record_url)
    u = seed(db, cfg, article())
    case = workflow.open_case(db, cfg, u["ana"], "art-sec")
    cid = case["id"]
    assert case["status"] == "open" and case["agency"] is None
    routed = workflow.route(db, cfg, u["ana"], cid, auto=True)
    assert (routed["status"], routed["agency"], routed["agency_name"]) == ("routed", "cong-an", "Công an tỉnh")
    data, drafted = workflow.draft(db, cfg, u["police"], cid)
    assert drafted["status"] == "drafted" and data[:2] == b"PK"
    returned = workflow.return_(db, cfg, u["lead"], cid, "Bổ sung số liệu chính thức")
    assert returned["status"] == "returned" and returned["comment"] == "Bổ sung số liệu chính thức"
    workflow.draft(db, cfg, u["police"], cid, lang="en")
    assert workflow.approve(db, cfg, u["lead"], cid)["status"] == "approved"
    published = workflow.publish(db, cfg, u["ana"], cid)
    assert published["status"] == "published" and published["outcome"] == "published"
    assert workflow.close(db, cfg, u["ana"], cid)["status"] == "closed"

    shown = workflow.show(db, cfg, u["police"], cid)
    actions = [e["action"] for e in shown["events"]]
    assert actions == ["open", "route", "draft", "return", "draft", "approve", "publish", "close", "view"]
    assert [e["actor"] for e in shown["events"]][:4] == ["ana", "ana", "police", "lead"]
    assert [(e["from"], e["to"]) for e in shown["events"][:3]] == [(None, "open"), ("open", "routed"),
                                                                   ("routed", "drafted")]
    assert shown["events"][3]["detail"]["comment"] == "Bổ sung số liệu chính thức"
    assert audit.verify(db) == {"cases": 1, "events": 9, "ok": True, "problems": []}
    db.close()


def test_due_dates_follow_severity(world, cfg):
    db, u = world
    severe = workflow.open_case(db, cfg, u["ana"], "art-sec")
    mild = workflow.open_case(db, cfg, u["ana"], "art-health")
    from datetime import datetime

    hours = lambda c: (datetime.fromisoformat(c["due"]) - datetime.fromisoformat(c["opened_at"])) / timedelta(hours=1)
    assert hours(severe) == 24 and hours(mild) == 72


# -- the fence: every role an action does not allow is refused, and the refusal is audited ----------

ALLOWED = {"route": {"ana"}, "draft": {"police"}, "approve": {"lead"}, "return": {"lead"},
           "publish": {"ana", "lead"}, "close": {"ana", "lead"}}
SETUP = {"route": [], "draft": ["route"], "approve": ["route", "draft"], "return": ["route", "draft"],
         "publish": ["route", "draft", "approve"], "close": ["route", "draft", "approve", "publish"]}


def _do(db, cfg, u, name, action, cid):
    actor = u[name]
    if action == "route":
        return workflow.route(db, cfg, actor, cid, auto=True)
    if action == "draft":
        return workflow.draft(db, cfg, actor, cid)[1]
    if action == "return":
        return workflow.return_(db, cfg, actor, cid, "sửa lại")
    return getattr(workflow, action)(db, cfg, actor, cid)


STEP_BY = {"route": "ana", "draft": "police", "approve": "lead", "publish": "ana"}


@pytest.mark.parametrize("action", list(ALLOWED))
def test_every_role_an_action_does_not_allow_is_refused(world, cfg, action):
    db, u = world
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    for step in SETUP[action]:
        _do(db, cfg, u, STEP_BY[step], step, cid)
    before = workflow.show(db, cfg, u["ana"], cid)["status"]
    refused = [n for n in ("ana", "lead", "police", "land", "viewer-police", "viewer-board", "root")
               if n not in ALLOWED[action]]
    for name in refused:
        with pytest.raises(PermissionDenied) as e:
            _do(db, cfg, u, name, action, cid)
        assert name in str(e.value) and "\n" not in str(e.value)
    after = workflow.show(db, cfg, u["ana"], cid)
    assert after["status"] == before
    denials = [e for e in after["events"] if e["action"] == "refused" and e["detail"]["action"] == action]
    assert sorted(e["actor"] for e in denials) == sorted(refused)
    for name in ALLOWED[action]:  # and the allowed ones are not refused
        _do(db, cfg, u, name, action, cid)
        break


def test_only_analysts_open_cases(world, cfg):
    db, u = world
    for name in ("lead", "police", "viewer-police", "root"):
        with pytest.raises(PermissionDenied):
            workflow.open_case(db, cfg, u[name], "art-sec")
    assert workflow.list_cases(db, cfg, u["ana"]) == []


def test_an_officer_of_another_agency_cannot_read_or_draft(world, cfg):
    db, u = world
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    workflow.route(db, cfg, u["ana"], cid, auto=True)
    with pytest.raises(PermissionDenied, match="cong-an|so-nn-mt"):
        workflow.show(db, cfg, u["land"], cid)
    with pytest.raises(PermissionDenied):
        workflow.draft(db, cfg, u["land"], cid)
    assert workflow.list_cases(db, cfg, u["land"]) == []
    assert [c["id"] for c in workflow.list_cases(db, cfg, u["police"])] == [cid]
    assert workflow.show(db, cfg, u["police"], cid)["agency"] == "cong-an"


def test_an_unrouted_case_is_hidden_from_every_agency(world, cfg):
    db, u = world
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    for name in ("police", "land"):
        with pytest.raises(PermissionDenied):
            workflow.show(db, cfg, u[name], cid)


def test_viewers_read_only_the_topics_their_rules_cover(world, cfg):
    db, u = world
    sec = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    health = workflow.open_case(db, cfg, u["ana"], "art-health")["id"]
    # police receive security-high (security, religion and ethnicity, sovereignty)
    assert workflow.show(db, cfg, u["viewer-police"], sec)["id"] == sec
    with pytest.raises(PermissionDenied, match="health"):
        workflow.show(db, cfg, u["viewer-police"], health)
    assert [c["id"] for c in workflow.list_cases(db, cfg, u["viewer-police"])] == [sec]
    # the propaganda board receives every distorted item: a rule without topics covers them all
    assert {c["id"] for c in workflow.list_cases(db, cfg, u["viewer-board"])} == {sec, health}


def test_a_disabled_user_can_do_nothing(world, cfg):
    db, u = world
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    set_disabled(db, "ana", True)
    from duluan.cases.users import acting_user

    ana = acting_user(db, "ana")
    for call in (lambda: workflow.show(db, cfg, ana, cid), lambda: workflow.list_cases(db, cfg, ana),
                 lambda: workflow.route(db, cfg, ana, cid, auto=True),
                 lambda: workflow.open_case(db, cfg, ana, "art-health"),
                 lambda: decide(db, cfg, ana, "art-sec", "confirm", "đúng")):
        with pytest.raises(PermissionDenied, match="khóa|disabled"):
            call()
    with pytest.raises(PermissionDenied):
        verify_password(db, "ana", "correct horse battery")


def test_passwords_are_argon2_hashes_and_verify(world, cfg):
    db, _u = world
    with db.engine.connect() as c:
        stored = c.execute(text("SELECT password_hash FROM users WHERE name = 'lead'")).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(db, "lead", "correct horse battery").role == "approver"
    with pytest.raises(PermissionDenied):
        verify_password(db, "lead", "wrong password")


def test_transitions_out_of_order_are_refused(world, cfg):
    db, u = world
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    with pytest.raises(WorkflowError, match="open"):
        workflow.approve(db, cfg, u["lead"], cid)
    with pytest.raises(WorkflowError):
        workflow.publish(db, cfg, u["ana"], cid)
    with pytest.raises(WorkflowError, match="--comment"):
        workflow.close(db, cfg, u["ana"], cid)  # closing unpublished needs a reason
    with pytest.raises(WorkflowError, match=str(cid)):
        workflow.open_case(db, cfg, u["ana"], "art-sec")  # one active case per article
    with pytest.raises(NotFound):
        workflow.show(db, cfg, u["ana"], 999)
    with pytest.raises(CaseError):
        workflow.return_(db, cfg, u["lead"], cid, "  ")
    closed = workflow.close(db, cfg, u["ana"], cid, comment="Thông tin đã được báo tự đính chính")
    assert closed["status"] == "closed" and closed["outcome"] == "no_notice"


def test_the_analyst_overrides_routing(world, cfg):
    db, u = world
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    assert workflow.route(db, cfg, u["ana"], cid, agency="so-nn-mt")["agency"] == "so-nn-mt"
    assert workflow.route(db, cfg, u["ana"], cid, auto=True)["agency"] == "cong-an"
    with pytest.raises(CaseError, match="so-tn-mt"):
        workflow.route(db, cfg, u["ana"], cid, agency="so-tn-mt")  # merged in 2025: names the successor


def test_triage_decisions_route_and_survive_reclassification(world, cfg):
    from duluan.store.articles import save_article

    db, u = world
    decide(db, cfg, u["ana"], "art-health", "confirm", "Bài bịa đặt về bệnh viện", topic="land_environment",
           agency="so-nn-mt")
    save_article(db, article("art-health", topic="health", severity=0.5))  # re-classified: the model's view again
    case = workflow.open_case(db, cfg, u["ana"], "art-health")
    assert case["topic"] == "land_environment"
    assert workflow.route(db, cfg, u["ana"], case["id"], auto=True)["agency"] == "so-nn-mt"
    decide(db, cfg, u["ana"], "art-sec", "dismiss", "Tin đúng sự thật")
    with pytest.raises(WorkflowError, match="dismiss|bỏ qua"):
        workflow.open_case(db, cfg, u["ana"], "art-sec")


def test_the_audit_chain_shows_any_edit_or_deletion(record_url, cfg):
    db = open_database(record_url)
    u = seed(db, cfg, article())
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    workflow.route(db, cfg, u["ana"], cid, auto=True)
    workflow.show(db, cfg, u["lead"], cid)
    assert audit.verify(db, cid)["ok"]
    with db.engine.begin() as c:
        c.execute(text("UPDATE case_events SET actor = 'someone-else' WHERE case_id = :c AND seq = 2"), {"c": cid})
    broken = audit.verify(db, cid)
    assert not broken["ok"] and broken["problems"][0]["seq"] == 2
    with db.engine.begin() as c:
        c.execute(text("UPDATE case_events SET actor = 'ana' WHERE case_id = :c AND seq = 2"), {"c": cid})
    assert audit.verify(db, cid)["ok"]
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM case_events WHERE case_id = :c AND seq = 2"), {"c": cid})
    assert audit.verify(db, cid)["problems"][0]["seq"] == 3
    db.close()


def test_every_view_is_audited(world, cfg):
    db, u = world
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    workflow.list_cases(db, cfg, u["lead"])
    workflow.show(db, cfg, u["root"], cid)
    events = workflow.show(db, cfg, u["ana"], cid)["events"]
    assert [(e["actor"], e["action"]) for e in events[1:]] == [("lead", "list"), ("root", "view"), ("ana", "view")]
    assert all(e["at"] <= utcnow().isoformat() for e in events)
