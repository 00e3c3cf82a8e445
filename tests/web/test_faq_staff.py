"""The staff loop: unmatched queries grouped in the admin, turned into knowledge, exported for review."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from faq.knowledge import load_document
from faq.models import STAFF_DOCUMENT, Entry, UnmatchedQuery
from faq.store import current_engine, sync_from_files
from tests.faq.test_store import admin_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/faq/unmatchedquery/"


def unmatched(text: str, count: int = 1, platform: str = "") -> UnmatchedQuery:
    digest = hashlib.sha256(f"{platform}||{text}".encode()).hexdigest()
    return UnmatchedQuery.objects.create(
        text=text, text_hash=digest, count=count, platform=platform
    )


def served_slugs(query: str) -> list[str]:
    return [match.entry.slug for match in current_engine().diagnose(query).matches]


def test_the_unmatched_list_groups_two_phrasings_of_one_problem_and_keeps_a_third_apart(
    admin_client,
):
    refund = unmatched("申请退款提示 基本账户余额不足", count=3)
    refund_again = unmatched("退款失败:基本账户余额不足,请充值", count=2)
    callback = unmatched("支付成功后收不到回调通知", count=4)

    page = admin_client.get(CHANGELIST)

    assert page.status_code == 200
    rows = list(page.context["cl"].result_list)
    # The refund group was asked 5 times in all, more than the callback query's 4: it comes first.
    assert [row.pk for row in rows] == [refund.pk, refund_again.pk, callback.pk]
    assert rows[0].similar is rows[1].similar
    assert rows[0].similar.members == [refund.pk, refund_again.pk]
    assert rows[2].similar is None
    assert "2 条 · 共 5 次" in page.content.decode()
    assert "sorted descending" not in page.content.decode()  # no column claims the order


def test_the_group_link_lists_that_group_alone(admin_client):
    first = unmatched("申请退款提示 基本账户余额不足", count=3)
    second = unmatched("退款失败:基本账户余额不足,请充值", count=2)
    unmatched("支付成功后收不到回调通知", count=4)

    page = admin_client.get(CHANGELIST, {"state": "all", "id__in": f"{first.pk},{second.pk}"})

    assert [row.pk for row in page.context["cl"].result_list] == [first.pk, second.pk]


def test_a_column_the_staff_member_sorts_by_wins_over_the_groups(admin_client):
    unmatched("申请退款提示 基本账户余额不足", count=3)
    unmatched("退款失败:基本账户余额不足,请充值", count=2)
    unmatched("支付成功后收不到回调通知", count=4)

    page = admin_client.get(CHANGELIST, {"o": "2"})  # the count column, ascending

    assert [row.count for row in page.context["cl"].result_list] == [2, 3, 4]


def test_the_list_shows_what_is_left_and_handled_queries_one_click_away(admin_client):
    left = unmatched("刷脸设备开机后提示设备未激活")
    done = unmatched("收不到退款结果通知")
    admin_client.post(CHANGELIST, {"action": "mark_handled", "_selected_action": [done.pk]})

    assert [row.pk for row in admin_client.get(CHANGELIST).context["cl"].result_list] == [left.pk]
    handled = admin_client.get(CHANGELIST, {"state": "handled"}).context["cl"].result_list
    assert [row.pk for row in handled] == [done.pk]


def test_a_draft_from_a_query_is_not_served_until_staff_publish_it(admin_client):
    text = "刷脸支付设备开机后提示设备未激活"
    query = unmatched(text, platform="wechat_v3")

    response = admin_client.post(
        CHANGELIST, {"action": "draft_entry", "_selected_action": [query.pk]}
    )

    entry = Entry.objects.get(document=STAFF_DOCUMENT)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/faq/entry/{entry.pk}/change/"
    assert (entry.status, entry.platform, entry.symptoms) == ("draft", "wechat_v3", [text])
    query.refresh_from_db()
    assert query.handled and query.handled_entry == entry
    assert entry.slug not in served_slugs(text)

    # Publishing needs remedy steps and a source to cite.
    admin_client.post("/admin/faq/entry/", {"action": "publish", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.status == "draft"

    url = f"/admin/faq/entry/{entry.pk}/change/"
    data = admin_form_data(admin_client.get(url))
    data["status"] = "published"
    data["remedy"] = "在设备管理后台激活这台设备后重启"
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "发布前请填写：来源" in refused.content.decode()

    data["sources"] = "刷脸设备激活说明 | https://pay.weixin.qq.com/wiki/doc/wxfacepay/"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.status == "published"
    assert entry.sources == [
        {"title": "刷脸设备激活说明", "url": "https://pay.weixin.qq.com/wiki/doc/wxfacepay/"}
    ]
    assert served_slugs(text)[0] == entry.slug


def test_the_publish_action_serves_a_completed_draft(admin_client):
    text = "刷脸支付设备开机后提示设备未激活"
    entry = Entry.objects.create(
        slug="staff-face-pay-device-not-activated",
        platform="wechat_v3",
        document=STAFF_DOCUMENT,
        section="客服补充",
        title="刷脸设备未激活",
        symptoms=[text],
        remedy=["在设备管理后台激活这台设备后重启"],
        sources=[{"title": "说明", "url": "https://pay.weixin.qq.com/wiki/doc/wxfacepay/"}],
        tier="public",
        status="draft",
        in_source=False,
    )
    assert entry.slug not in served_slugs(text)

    admin_client.post("/admin/faq/entry/", {"action": "publish", "_selected_action": [entry.pk]})

    assert served_slugs(text)[0] == entry.slug


def test_a_query_added_as_a_symptom_of_an_entry_survives_a_reload(admin_client):
    text = "百度收银台拉起来就报签名对不上"
    query = unmatched(text, count=2)
    entry = Entry.objects.get(slug="baidu-cashier-errcode-6-sign-error")
    chosen = {"action": "add_as_symptom", "_selected_action": [query.pk]}

    choose = admin_client.post(CHANGELIST, chosen)
    assert choose.status_code == 200
    assert text in choose.content.decode() and entry.slug in choose.content.decode()

    response = admin_client.post(CHANGELIST, {**chosen, "apply": "1", "entry": entry.pk})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.extra_symptoms[-1] == text
    query.refresh_from_db()
    assert query.handled and query.handled_entry == entry
    sync_from_files()
    entry.refresh_from_db()
    assert entry.extra_symptoms[-1] == text
    assert text in entry.as_faq_entry().symptoms


def staff_entry(slug: str, **fields: object) -> Entry:
    values = {
        "platform": "wechat_v3",
        "document": STAFF_DOCUMENT,
        "section": "客服补充",
        "title": "刷脸设备开机后提示设备未激活",
        "symptoms": ["刷脸支付设备开机后提示设备未激活"],
        "remedy": ["在设备管理后台激活这台设备后重启"],
        "sources": [{"title": "刷脸支付", "url": "https://pay.weixin.qq.com/wiki/doc/wxfacepay/"}],
        "tier": "public",
        "in_source": False,
        **fields,
    }
    return Entry.objects.create(slug=slug, **values)


def test_export_writes_staff_entries_and_added_symptoms_that_load_back(tmp_path):
    staff_entry("staff-face-pay-device-not-activated", extra_symptoms=["刷脸设备未激活"])
    staff_entry("staff-draft-1", status="draft")
    documented = Entry.objects.get(slug="baidu-cashier-errcode-6-sign-error")
    documented.extra_symptoms = ["百度收银台拉起来就报签名对不上"]
    documented.save()

    call_command("export_faq", "--out", str(tmp_path), stdout=StringIO())

    meta, entries = load_document(tmp_path / "public" / "staff.yaml")
    assert (meta["document"], meta["tier"]) == (STAFF_DOCUMENT, "public")
    assert [entry.slug for entry in entries] == ["staff-face-pay-device-not-activated"]
    exported = entries[0]
    assert exported.symptoms == ("刷脸支付设备开机后提示设备未激活", "刷脸设备未激活")
    assert exported.remedy == ("在设备管理后台激活这台设备后重启",)
    assert exported.sources[0].url == "https://pay.weixin.qq.com/wiki/doc/wxfacepay/"
    assert exported.platform == "wechat_v3"
    added = yaml.safe_load((tmp_path / "symptoms_added.yaml").read_text(encoding="utf-8"))
    assert added == {"baidu-cashier-errcode-6-sign-error": ["百度收银台拉起来就报签名对不上"]}


def test_export_writes_drafts_only_when_asked(tmp_path):
    staff_entry("staff-draft-1", status="draft")

    call_command("export_faq", "--out", str(tmp_path), "--include-drafts", stdout=StringIO())

    _meta, entries = load_document(tmp_path / "public" / "staff.yaml")
    assert [entry.slug for entry in entries] == ["staff-draft-1"]


def test_export_refuses_an_entry_without_a_source_and_names_it(tmp_path):
    staff_entry("staff-face-pay-device-not-activated")
    staff_entry("staff-no-source", sources=[])

    with pytest.raises(CommandError, match="staff-no-source（缺少来源）"):
        call_command("export_faq", "--out", str(tmp_path))

    assert not (tmp_path / "public" / "staff.yaml").exists()


def test_a_draft_is_on_no_page_and_in_no_answer_until_it_is_published(client):
    """A staff draft is not served anywhere: its page, the index, the API and related links."""
    Entry.objects.create(
        slug="staff-draft-visible-check",
        platform="wechat_v3",
        document="public-staff",
        section="草稿",
        title="草稿条目不应公开",
        remedy=["一步"],
        status="draft",
    )
    assert client.get("/faq/staff-draft-visible-check").status_code == 404
    assert "草稿条目不应公开" not in client.get("/faq/").content.decode()
    assert client.get("/api/v1/faq/staff-draft-visible-check").status_code == 404
    Entry.objects.filter(slug="staff-draft-visible-check").update(status="published")
    assert client.get("/faq/staff-draft-visible-check").status_code == 200
    assert "草稿条目不应公开" in client.get("/faq/").content.decode()
