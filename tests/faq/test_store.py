from __future__ import annotations

import re

import pytest
import yaml

from faq.knowledge import data_files
from faq.models import Entry, UnmatchedQuery
from faq.store import current_engine, record_unmatched, sync_from_files

pytestmark = pytest.mark.django_db


def slugs_in_data_files() -> set[str]:
    slugs = set()
    for path in data_files():  # both tiers: the documents' files and public/
        slugs |= {item["slug"] for item in yaml.safe_load(path.read_text())["entries"]}
    return slugs


def test_every_data_file_entry_is_in_the_database():
    assert set(Entry.objects.values_list("slug", flat=True)) == slugs_in_data_files()


def test_a_reload_changes_nothing_and_duplicates_nothing():
    before = Entry.objects.count()
    report = sync_from_files()
    assert report.created == [] and report.updated == []
    assert Entry.objects.count() == before


def test_a_reload_restores_a_field_changed_outside_the_admin():
    entry = Entry.objects.get(slug="baidu-cashier-errcode-6-sign-error")
    original = entry.title
    Entry.objects.filter(pk=entry.pk).update(title="changed by hand")
    report = sync_from_files()
    assert report.updated == ["baidu-cashier-errcode-6-sign-error"]
    assert Entry.objects.get(pk=entry.pk).title == original


def admin_form_data(page) -> dict[str, object]:
    """The admin change form's current values, as the browser would post them back."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        data[name] = "" if value is None else value
    return data


def test_staff_edits_and_added_symptoms_survive_a_reload(admin_client):
    entry = Entry.objects.get(slug="baidu-cashier-errcode-6-sign-error")
    url = f"/admin/faq/entry/{entry.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page)
    data["remedy"] = "检查 orderInfo 是否是 json 对象\n客服补充：先用签名工作台核对 rsaSign"
    data["extra_symptoms"] = "百度收银台拉不起来提示签名不对"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    sync_from_files()
    entry.refresh_from_db()
    assert entry.remedy[-1] == "客服补充：先用签名工作台核对 rsaSign"
    assert entry.extra_symptoms == ["百度收银台拉不起来提示签名不对"]
    assert "remedy" in entry.edited_fields

    # The engine sees the added symptom at once, without a restart.
    top = current_engine().diagnose("百度收银台拉不起来提示签名不对").matches[0]
    assert top.entry.slug == "baidu-cashier-errcode-6-sign-error"


def test_an_entry_gone_from_the_files_is_kept_and_flagged():
    Entry.objects.create(
        slug="old-entry", platform="baidu", document="x", section="s", title="t", remedy=["r"]
    )
    report = sync_from_files()
    assert report.retired == ["old-entry"]
    assert Entry.objects.get(slug="old-entry").in_source is False


SECRETS = {
    "api key": "8934e7d15453e97507ef794cf7b0519d",
    "hmac sign": "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6",
    "openid": "oUpF8uN95-Ptaags6E_roPHg7AG0",
    "order number": "1004400740201409030005092168",
    "apiv3 key": "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae",
}


def test_the_unmatched_log_never_stores_a_secret_looking_token():
    query = "完全没见过的报错 " + " ".join(f"{name}={value}" for name, value in SECRETS.items())
    diagnosis = current_engine().diagnose(query)
    record_unmatched(diagnosis)
    stored = " ".join(UnmatchedQuery.objects.values_list("text", flat=True))
    assert stored
    for value in SECRETS.values():
        assert value.lower() not in stored.lower()
    assert not re.search(r"[0-9a-f]{32}", stored, re.IGNORECASE)


def test_the_same_unmatched_query_is_counted_not_duplicated():
    diagnosis = current_engine().diagnose("某个从未出现过的奇怪提示 qwxz")
    record_unmatched(diagnosis)
    record_unmatched(diagnosis)
    assert UnmatchedQuery.objects.get().count == 2


def test_the_engine_checks_for_changes_at_most_every_configured_interval(settings):
    settings.FAQ_ENGINE_CHECK_SECONDS = 0
    before = current_engine()
    settings.FAQ_ENGINE_CHECK_SECONDS = 3600
    entry = Entry.objects.get(slug="baidu-cashier-errcode-6-sign-error")
    entry.extra_symptoms = ["一个新说法 qzx"]
    entry.save()
    assert current_engine() is before  # within the interval: the compiled engine is reused
    settings.FAQ_ENGINE_CHECK_SECONDS = 0
    assert current_engine() is not before
    top = current_engine().diagnose("一个新说法 qzx").matches[0]
    assert top.entry.slug == "baidu-cashier-errcode-6-sign-error"
