"""How fast the rule engine compiles and answers, on the real base and on 10,000 synthetic entries.

Run from the repository root: ``python bench/bench_diagnose.py``. The target is under 1 ms per
query at 10,000 entries; the query mix is what merchants paste (Chinese texts, codes, V2 XML,
APIv3 JSON, err_msg strings, App errCode values).
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faq.engine import RuleEngine  # noqa: E402
from faq.knowledge import ENTRY_POINTS, PAGES, PLATFORMS, FaqEntry, load_all  # noqa: E402

QUERIES = [
    "系统繁忙",
    "支付分开启服务页提示系统繁忙，app 跳转的",
    "10003",
    "取消核销返回10003错误",
    "errCode:6",
    "调起百度收银台后提示请求签名错误",
    "SYSTEMERROR",
    'HTTP/1.1 401 Unauthorized\n{"code":"SIGN_ERROR","message":"签名错误"}',
    '{"code":"PARAM_ERROR","message":"参数错误: total 必须大于0"}',
    "<xml><return_code><![CDATA[SUCCESS]]></return_code><result_code><![CDATA[FAIL]]>"
    "</result_code><err_code><![CDATA[ORDERPAID]]></err_code>"
    "<err_code_des><![CDATA[订单已支付]]></err_code_des></xml>",
    "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>",
    "get_brand_wcpay_request:fail",
    '{"err_msg":"openBusinessView:fail_the permission value is offline verifying"}',
    "Android onResp errCode=-1",
    "当前页面的URL未注册",
    "获取openid报错 redirect_url域名与后台配置不一致,错误码:10003",
    "此公众号并没有这些scope的权限 10005",
    "ＳＩＧＮ＿ＥＲＲＯＲ",
    "回调验签不通过 rsaSign",
    "退款一直处理中怎么办",
]


def words(text: str) -> list[str]:
    return text.split()


VOCABULARY = words(
    "支付 签名 订单 退款 回调 商户 失败 错误 系统 繁忙 参数 权限 异常 超时 证书 密钥 验签 金额 "
    "余额 不足 关闭 重复 提交 校验 格式 无效 过期 未授权 未开通 审核 驳回 资质 银行 划付 核销 "
    "取消 企业 资产 通知 地址 域名 配置 不一致 目录 未注册 页面 跳转 小程序 公众号 调起 收银台 "
    "请求 返回 接口 网关 白名单 服务 上线 风控 规则 用户 押金 扣款 解约 单笔 限额 频率 限制 "
    "账单 下载 对账 时间戳 随机串 字段 缺少 编码 大小写 加密 解密 公钥 私钥 应用 包名 回跳 "
    "查询 状态 处理中 已支付 未支付 撤销 转入 代发 结算 分账 优惠 券 代金券 营销 门店 终端"
)
CODE_WORDS = words("ORDER PAY SIGN PARAM SYSTEM REFUND NOTIFY AUTH MCH APPID USER LIMIT BANK CERT")
CODE_ENDINGS = words("ERROR INVALID EXPIRED NOT_EXISTS USED CLOSED MISMATCH DENIED")


def synthetic_entries(count: int, seed: int = 7) -> list[FaqEntry]:
    """Plausible entries: symptoms of 2-4 vocabulary words, one or two codes, some scenarios."""
    rng = random.Random(seed)
    scenarios = [*ENTRY_POINTS, *PAGES]
    entries = []
    for number in range(count):
        symptoms = tuple(
            "".join(rng.sample(VOCABULARY, rng.randint(2, 4))) for _ in range(rng.randint(2, 4))
        )
        codes: tuple[str, ...]
        if rng.random() < 0.5:
            codes = (f"{rng.choice(CODE_WORDS)}_{rng.choice(CODE_ENDINGS)}",)
        else:
            codes = (str(rng.randint(10000, 99999)),)
        entries.append(
            FaqEntry(
                slug=f"synthetic-{number}",
                platform=rng.choice(list(PLATFORMS)),
                document="synthetic",
                section=f"§{number}",
                title=f"{symptoms[0]}（{rng.choice(VOCABULARY)}）",
                symptoms=symptoms,
                codes=codes,
                remedy=("检查配置",),
                scenarios=tuple(rng.sample(scenarios, rng.randint(0, 2))),
                summary_en="synthetic entry for the benchmark",
            )
        )
    return entries


def measure(label: str, entries: list[FaqEntry], rounds: int = 50) -> None:
    started = time.perf_counter()
    engine = RuleEngine(entries)
    compile_ms = (time.perf_counter() - started) * 1000
    # The compiled index lives as long as the process: move it out of the collector's way, as a
    # server would after start-up, so a full collection does not walk 10,000 entries mid-query.
    gc.collect()
    gc.freeze()
    for query in QUERIES:  # warm up
        engine.diagnose(query)
    timings = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            engine.diagnose(query)
            timings.append((time.perf_counter() - started) * 1_000_000)
    gc.unfreeze()
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"{label:<22} entries={len(engine.entries):>6}  compile={compile_ms:8.1f} ms  "
        f"per query: mean={statistics.mean(timings):7.1f} µs  "
        f"p50={statistics.median(timings):7.1f} µs  p99={p99:7.1f} µs  "
        f"({len(QUERIES)} queries x {rounds})"
    )


def main() -> None:
    # A yardstick for reading the figures on another machine.
    yardstick = min(timeit.repeat("sum(range(1000))", number=2000, repeat=3)) / 2000 * 1_000_000
    print(f"python {sys.version.split()[0]}, sum(range(1000)) = {yardstick:.1f} µs on this machine")
    real, synthetic = load_all(), synthetic_entries(10_000)
    measure("real base (load_all)", real)
    measure("synthetic", synthetic)
    measure("real + synthetic", real + synthetic)


if __name__ == "__main__":
    main()
