"""The registry: every platform Pay Doctor knows, and what the Django skin needs of each.

The skin (views, urls, api, forms, the navigation and the FAQ's workbench links) asks this
module instead of naming platforms: a task workbench gets its page and its action URL, its form
and its result template (``diagnostics/results/<group>_<task>.html``) from here, and the request
linter unites the platforms' lint tables here. Adding a platform is adding its engine package
(``diagnostics/<name>/``, Django-free), its forms in ``forms.py``, its result templates, and one
``Platform(...)`` line below — see "Adding a platform" in the README.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms as django_forms
from django.urls import reverse

from diagnostics import alipay, baidu, forms, wechat_v2, wechat_v3
from diagnostics.alipay import workbenches as alipay_workbenches
from diagnostics.baidu import workbenches as baidu_workbenches
from diagnostics.core import lint as core_lint
from diagnostics.core.lint import LintApi, LintRequest, LintResult
from diagnostics.core.workbench import Task, Values, gettext_noop
from diagnostics.forms.alipay_keys import KEY_FORMS
from diagnostics.wechat_v2 import lint as wechat_v2_lint
from diagnostics.wechat_v2 import workbenches as wechat_v2_workbenches
from diagnostics.wechat_v3 import lint as wechat_v3_lint
from diagnostics.wechat_v3 import workbenches as wechat_v3_workbenches


@dataclass(frozen=True)
class Platform:
    """One platform (or cross-platform tool) as the skin sees it."""

    name: str  # the package name, and the first half of a workbench name ("wechat_v3:sign")
    label: str  # gettext_noop: templates translate it (the navigation's link)
    url_prefix: str  # where its task workbenches live, e.g. "wechat/v3/"
    title: str = ""  # the home page's card: title (gettext_noop), algorithms, what it does
    subtitle: str = ""
    summary: str = ""
    home: str = ""  # the URL name the navigation links to; the first page by default
    tasks: tuple[Task, ...] = ()
    forms: Mapping[str, type[django_forms.Form]] = field(default_factory=dict)
    lint_apis: Mapping[str, LintApi] = field(default_factory=dict)
    lint_request: LintRequest | None = None
    engine: Any = None  # the engine package, for its docstring and public API
    # The pages the home page's card lists, as (label, url); the task workbenches by default.
    pages: Callable[[], list[tuple[str, str]]] | None = None

    def home_url(self) -> str:
        if self.home:
            return reverse(self.home)
        links = self.page_links()
        return links[0][1] if links else ""

    def page_links(self) -> list[tuple[str, str]]:
        if self.pages is not None:
            return self.pages()
        return [(task.title, task_url(task)) for task in self.tasks]


def task_url(task: Task, suffix: str = "") -> str:
    """The page (or, with suffix "_run", the action) of a workbench named "group:task"."""
    group, _, name = task.workbench.partition(":")
    return reverse(f"diagnostics:{group}{suffix}", args=[name] if name else [])


def v2_pages() -> list[tuple[str, str]]:
    """V2's workbench is one page per call or pay page (a preset), and the 002 §3.2 demo."""
    pages = [
        (preset.title, reverse("diagnostics:v2_preset", args=[preset.slug]))
        for preset in wechat_v2.PRESETS.values()
    ]
    pages.append((gettext_noop("看 002 §3.2 示例的真实计算"), reverse("diagnostics:v2_demo")))
    return [*pages, *((task.title, task_url(task)) for task in wechat_v2_workbenches.TASKS)]


def run_lint(values: Values) -> Values:
    return {"lint": lint(values["api"], body=values["body"])}


LINT_TASK = Task(
    "lint",
    gettext_noop("请求体检查"),
    "Lint a request body against the field tables",
    "002 §4; 004; 服务商下单（公开文档）",
    gettext_noop(
        "按文档的字段表检查 V2 请求（统一下单、查单、关单、退款、退款查询、对账单）、"
        "APIv3 App 合单下单和服务商 JSAPI/App/H5/Native 下单的请求体。"
    ),
    run_lint,
)

PLATFORMS: dict[str, Platform] = {
    platform.name: platform
    for platform in (
        # V2's workbench is one page per preset (diagnostics.views.v2_workbench), not tasks.
        Platform(
            "wechat_v2",
            gettext_noop("V2 签名"),
            "wechat/v2/",
            title=gettext_noop("微信支付 V2 签名工作台"),
            subtitle="MD5 / HMAC-SHA256",
            summary=gettext_noop(
                "粘贴 XML、query string、name=value 或 JSON 与 API 密钥：显示被剔除的字段、string1、"
                "stringSignTemp、摘要和 sign；贴上你得到的签名，找出复现它的错误（空值参与签名、没排序、"
                "小写、用了 APIv3 密钥……）。"
            ),
            pages=v2_pages,
            home="diagnostics:v2",
            tasks=wechat_v2_workbenches.TASKS,
            forms={
                "wechat_v2:refund-notify": forms.RefundNotifyForm,
                "wechat_v2:simulate": forms.V2SimulateForm,
            },
            lint_apis=wechat_v2_lint.LINT_APIS,
            lint_request=wechat_v2_lint.lint_request,
            engine=wechat_v2,
        ),
        Platform(
            "wechat_v3",
            "APIv3",
            "wechat/v3/",
            title=gettext_noop("微信支付 APIv3 工作台"),
            subtitle="RSA · AES-256-GCM",
            summary=gettext_noop(
                "逐行显示签名串（换行符可见），算出 signature 和 Authorization 头；检查你发送的 "
                "Authorization 头；用平台证书或微信支付公钥验证应答和回调；解密回调通知，失败时说出原因；"
                "JSAPI / App 调起支付签名。"
            ),
            tasks=wechat_v3_workbenches.TASKS,
            forms={
                "wechat_v3:sign": forms.V3SignForm,
                "wechat_v3:authorization": forms.V3AuthorizationForm,
                "wechat_v3:verify": forms.V3VerifyForm,
                "wechat_v3:decrypt": forms.V3DecryptForm,
                "wechat_v3:pay-sign": forms.V3PaySignForm,
                "wechat_v3:keyring": forms.V3KeyringForm,
                "wechat_v3:sensitive": forms.SensitiveForm,
                "wechat_v3:simulate": forms.V3SimulateForm,
            },
            lint_apis=wechat_v3_lint.LINT_APIS,
            lint_request=wechat_v3_lint.lint_request,
            engine=wechat_v3,
        ),
        Platform(
            "baidu",
            gettext_noop("百度收银台"),
            "baidu/",
            title=gettext_noop("百度收银台 rsaSign"),
            subtitle="SHA1withRSA",
            summary=gettext_noop(
                "按文档拼出 string1 并签名，或验证回调的 rsaSign（除 rsaSign 外全部 POST 参数，空值也算），"
                "找出验签不通过的原因。"
            ),
            tasks=baidu_workbenches.TASKS,
            forms={"baidu:sign": forms.BaiduSignForm, "baidu:verify": forms.BaiduVerifyForm},
            engine=baidu,
        ),
        Platform(
            "alipay",
            gettext_noop("支付宝"),
            "alipay/",
            title=gettext_noop("支付宝开放平台签名与验签"),
            subtitle="RSA2 · SHA256withRSA",
            summary=gettext_noop(
                "逐步显示请求的待签名字符串（剔除了哪些参数、为什么）和 sign；贴上你的 sign 或网关的"
                " isv.invalid-signature 回答，找出是哪一个错误（URL 编码、漏了 sign_type、biz_content "
                "被重新序列化、GBK、RSA 与 RSA2……）；验证异步通知和同步应答，说出验不过的原因。"
            ),
            tasks=alipay_workbenches.TASKS,
            forms={
                "alipay:sign": forms.AlipaySignForm,
                "alipay:notify": forms.AlipayNotifyForm,
                "alipay:response": forms.AlipayResponseForm,
                **KEY_FORMS,
            },
            engine=alipay,
        ),
        # The linter spans platforms: one page, the platforms' tables (LINT_APIS below).
        Platform(
            "lint",
            gettext_noop("请求检查"),
            "lint/",
            title=gettext_noop("请求体检查"),
            subtitle="lint",
            summary=gettext_noop(
                "按文档字段表检查 V2 下单、查单、关单、退款、对账单请求和 APIv3 App 合单下单请求体。"
            ),
            tasks=(LINT_TASK,),
            pages=lambda: [(gettext_noop("检查请求"), reverse("diagnostics:lint"))],
            forms={"lint": forms.LintForm},
        ),
    )
}

TASKS: dict[str, Task] = {
    task.workbench: task for platform in PLATFORMS.values() for task in platform.tasks
}
TASK_FORMS: dict[str, type[django_forms.Form]] = {
    name: form for platform in PLATFORMS.values() for name, form in platform.forms.items()
}
LINT_APIS: dict[str, LintApi] = {
    slug: api for platform in PLATFORMS.values() for slug, api in platform.lint_apis.items()
}
LINT_REQUESTS: dict[str, LintRequest] = {
    platform.name: platform.lint_request
    for platform in PLATFORMS.values()
    if platform.lint_request is not None
}


def lint(
    api: str, *, params: Mapping[str, object] | None = None, body: str | None = None
) -> LintResult:
    """Lint one request for ``api`` (a LINT_APIS key) with its platform's rules."""
    return core_lint.lint(LINT_APIS, LINT_REQUESTS, api, params=params, body=body)


def task_groups() -> list[Platform]:
    """The platforms with task workbenches, each of which gets a page and an action URL."""
    return [platform for platform in PLATFORMS.values() if platform.tasks]
