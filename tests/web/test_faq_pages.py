from __future__ import annotations

import re

import pytest
from django.urls import reverse

from faq.models import Entry

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_entry_grouped_by_platform(client):
    body = client.get("/faq/").content.decode()
    linked = set(re.findall(r'href="/faq/([a-z0-9-]+)"', body))
    assert linked == set(Entry.objects.values_list("slug", flat=True))
    for platform in ("微信支付分", "百度收银台", "微信支付 V2", "微信支付 APIv3"):
        assert f"<h2>{platform}</h2>" in body


def test_the_index_filters_without_javascript(client):
    body = client.get("/faq/", {"q": "10003"}).content.decode()
    linked = set(re.findall(r'href="/faq/([a-z0-9-]+)"', body))
    assert linked == {
        "baidu-cancel-verify-10003-insufficient-assets",
        "wechat-v3-openid-redirect-domain-10003",
    }


def test_an_entry_page_has_symptom_remedy_source_and_a_copyable_link(client):
    response = client.get("/faq/baidu-cashier-errcode-6-sign-error")
    body = response.content.decode()
    assert response.status_code == 200
    assert "errCode:6" in body and "检查整个orderInfo" in body.replace(" ", "")
    # The source reads as a document (platform and title from the seeds' README), not a file name.
    assert "百度收银台" in body and "调起收银台错误 2" in body
    assert "001_f667e89e7af6f0db.txt" not in body
    assert (
        'id="permalink"' in body
        and "http://testserver/faq/baidu-cashier-errcode-6-sign-error" in body
    )


def test_a_see_also_reference_keeps_the_address_the_document_gave(client):
    """001 says "详见[签名与验签](…)": the remedy keeps the link, not only its words (issue 12)."""
    body = client.get("/faq/baidu-cashier-errcode-6-sign-error").content.decode()
    assert 'href="http://smartprogram.baidu.com/docs/develop/function/sign_v2/"' in body
    assert 'href="http://smartprogram.baidu.com/docs/develop/function/keygen_v2/"' in body
    diagnosis = client.get(
        reverse("faq:diagnose"), {"q": "调起收银台 errCode:6 请求签名错误"}
    ).content.decode()
    assert 'href="http://smartprogram.baidu.com/docs/develop/function/sign_v2/"' in diagnosis


def test_a_check_your_signature_entry_links_to_its_workbench(client):
    body = client.get("/faq/payscore-apply-rejected-enable-app").content.decode()
    assert 'href="/wechat/v2/payscore-enable/"' in body


def test_remedy_steps_keep_the_documents_order(client):
    entry = Entry.objects.get(slug="payscore-no-benefit-confirm-app")
    body = client.get(entry.get_absolute_url()).content.decode()
    positions = [body.index(step) for step in entry.remedy]
    assert positions == sorted(positions)


def test_an_unknown_slug_is_404(client):
    assert client.get("/faq/no-such-entry").status_code == 404
