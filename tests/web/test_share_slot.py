"""Issue 12 #2–#4: one way to share, next to its button, saving what is on the screen — the
narrowing included — and the URL says which answer is shown."""

from __future__ import annotations

import re
from html import unescape

import pytest

from sharing.models import SharedResult

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_refine_answer_updates_the_main_forms_narrowing_out_of_band(client):
    body = client.post(
        "/diagnose", {"q": "系统繁忙", "platform": "wechat_payscore"}, **HTMX
    ).content.decode()
    oob = re.search(r'<div id="narrowing" hx-swap-oob="true">(.*?)</div>', body, re.S)
    assert oob and 'name="platform" value="wechat_payscore"' in oob.group(1)


def test_sharing_a_narrowed_diagnosis_saves_the_narrowing_and_answers_next_to_the_button(client):
    data = {"q": "系统繁忙", "platform": "wechat_payscore", "scenario": "confirm_page,miniprogram"}
    body = client.post("/diagnose", {**data, "share": "1"}, **HTMX).content.decode()
    slot = re.search(
        r'<div id="share-slot"[^>]*hx-swap-oob="true">(.*?)</div>\s*</div>', body, re.S
    )
    assert slot and "/d/" in slot.group(1) and "不含密钥" in slot.group(1)
    shared = SharedResult.objects.get()
    assert shared.inputs == {"q": "系统繁忙", **data}
    page = client.get(shared.get_absolute_url()).content.decode()
    live = client.post("/diagnose", data).content.decode()
    slugs = re.findall(r'<li class="match" data-slug="([^"]+)"', page)
    assert slugs == re.findall(r'<li class="match" data-slug="([^"]+)"', live)


def test_a_submitted_diagnosis_pushes_its_url_and_live_typing_does_not(client):
    submitted = client.post("/diagnose", {"q": "系统繁忙", "platform": "baidu"}, **HTMX)
    assert submitted["HX-Push-Url"].startswith("/diagnose?q=")
    assert "platform=baidu" in submitted["HX-Push-Url"]
    live = client.post("/diagnose", {"q": "系统繁忙", "live": "1"}, **HTMX)
    assert "HX-Push-Url" not in live


def test_a_workbench_share_answers_next_to_its_button(client):
    raw = "appid=wx1\nmch_id=10000100\nnonce_str=abc\nbody=test"
    body = client.post(
        "/wechat/v2/free/sign", {"raw": raw, "key": "K" * 32, "share": "1"}, **HTMX
    ).content.decode()
    assert re.search(r'<div id="share-slot"[^>]*hx-swap-oob="true">', body)
    assert 'id="share-url-input" readonly value="http://testserver/d/' in body


def test_switching_language_after_a_result_keeps_the_inputs_but_never_the_key(client):
    raw = "appid=wx1\nmch_id=10000100\nnonce_str=abc\nbody=test"
    key = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"
    body = client.post("/wechat/v2/free/sign", {"raw": raw, "key": key}).content.decode()
    nxt = re.search(r'<input type="hidden" name="next" value="([^"]+)"', body).group(1)
    assert nxt.startswith("/wechat/v2/free/?") and key not in nxt
    switched = client.post("/i18n/setlang/", {"language": "en", "next": unescape(nxt)}, follow=True)
    page = switched.content.decode()
    assert "appid=wx1" in page and key not in page
    assert "enter them again" in page


def test_switching_language_after_a_diagnosis_keeps_the_answer(client):
    body = client.post("/diagnose", {"q": "系统繁忙", "platform": "baidu"}).content.decode()
    nxt = unescape(re.search(r'<input type="hidden" name="next" value="([^"]+)"', body).group(1))
    assert nxt.startswith("/diagnose?q=") and "platform=baidu" in nxt


def test_while_a_question_is_open_only_the_first_remedy_is_unfolded(client):
    body = client.post("/diagnose", {"q": "系统繁忙"}).content.decode()
    assert 'class="question"' in body  # a refine question is open
    boxes = re.findall(r'<details class="remedy-box"( open)?>', body)
    assert len(boxes) > 2 and boxes[0] == " open" and not any(boxes[1:])


def test_scene_tags_only_where_the_remedy_depends_on_the_scene(client):
    body = client.post(
        "/diagnose", {"q": '{"code":"SIGN_ERROR","message":"签名错误"}', "platform": "wechat_v3"}
    ).content.decode()
    meta = re.findall(r'<p class="meta">(.*?)</p>', body, re.S)
    # platform · scene tags · source: the 004 document is all about App orders, so its entries
    # carry no "App" tag that would mislead a JSAPI merchant.
    from_004 = [line.split("来源")[0] for line in meta if "App 合单下单" in line]
    assert from_004 and not any("App" in line for line in from_004)
    payscore = client.post(
        "/diagnose", {"q": "系统繁忙", "platform": "wechat_payscore"}
    ).content.decode()
    payscore_scenes = [
        line.split("来源")[0] for line in re.findall(r'<p class="meta">(.*?)</p>', payscore, re.S)
    ]
    assert any("页" in line for line in payscore_scenes)
