"""Issue 10 F6: a query with every scenario is stored (PostgreSQL enforces the column's length)."""

from __future__ import annotations

import pytest

from faq.knowledge import SCENARIOS
from faq.models import UnmatchedQuery

pytestmark = pytest.mark.django_db

EVERY_SCENARIO = ",".join(SCENARIOS)
UNANSWERED = "一个从来没有人见过的奇怪提示 zzqx"


def stored_scenario() -> str:
    record = UnmatchedQuery.objects.get()
    assert len(record.scenario) <= UnmatchedQuery._meta.get_field("scenario").max_length
    return record.scenario


def test_the_column_holds_all_eight_scenarios():
    assert len(SCENARIOS) == 8
    assert len(EVERY_SCENARIO) <= UnmatchedQuery._meta.get_field("scenario").max_length


def test_the_page_stores_a_query_asked_with_all_eight_scenarios(client):
    response = client.post("/diagnose", {"q": UNANSWERED, "scenario": EVERY_SCENARIO})
    assert response.status_code == 200
    assert stored_scenario() == EVERY_SCENARIO


def test_the_api_stores_a_query_asked_with_all_eight_scenarios(client):
    response = client.get("/api/v1/diagnose", {"q": UNANSWERED, "scenario": EVERY_SCENARIO})
    assert response.status_code == 200
    assert stored_scenario() == EVERY_SCENARIO


def test_a_scenario_repeated_by_refine_answers_is_kept_once(client):
    repeated = ",".join(["jsapi", "app"] * 12)
    client.post("/diagnose", {"q": UNANSWERED, "scenario": repeated, "add_scenario": "jsapi"})
    assert stored_scenario() == "jsapi,app"


@pytest.mark.parametrize("repeated", [["miniprogram"] * 9, list(SCENARIOS) * 2])
def test_the_api_keeps_each_scenario_once_like_the_form(client, repeated):
    response = client.get("/api/v1/diagnose", {"q": UNANSWERED, "scenario": ",".join(repeated)})
    assert response.status_code == 200
    assert stored_scenario() == ",".join(dict.fromkeys(repeated))


def test_the_form_and_the_api_refuse_the_same_over_long_scenario(client):
    too_long = ",".join(["jsapi"] * 40)  # 239 characters, every one a known scenario
    page = client.post("/diagnose", {"q": UNANSWERED, "scenario": too_long})
    api = client.get("/api/v1/diagnose", {"q": UNANSWERED, "scenario": too_long})
    assert page.status_code == 400
    assert api.status_code == 400 and api.json()["error"]["code"] == "scenario_too_long"
    assert not UnmatchedQuery.objects.exists()
