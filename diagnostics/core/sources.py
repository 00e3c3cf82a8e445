"""Where a rule or remedy comes from, said as a merchant reads it: the document's title, not its
file name. Engines cite the five source documents by number ("002 §3.2 b", "000 #2 3）", several
joined by "; "); pages show "微信支付 V2《公众号支付接口文档》§3.2 b".

>>> [str(part) for part in cited_sources("002 §3.2 b; 000 #2")]
['微信支付 V2《公众号支付接口文档》§3.2 b', '微信支付分《支付常见问题》#2']
"""

from __future__ import annotations

from diagnostics.core.text import Text, _, label

# The documents of ../shared/seeds (README table): platform and title, short.
DOCUMENTS: dict[str, Text] = {
    "000": _("微信支付分《支付常见问题》"),
    "001": _("百度收银台《支付常见问题》"),
    "002": _("微信支付 V2《公众号支付接口文档》"),
    "003": _("微信支付 APIv3《平台收付通开发指引》"),
    "004": _("微信支付 APIv3《App 合单下单》"),
}
FILES = {
    "000_ec8b05b5739ea561.txt": "000",
    "001_f667e89e7af6f0db.txt": "001",
    "002_ff74621dd26acb5b.txt": "002",
    "003_f8e890a6cf066882.txt": "003",
    "004_77402864c936c014.txt": "004",
}


def cited_sources(source: str) -> list[Text | str]:
    """Each cited source of ``source`` with its document named; other text stays as it is
    (translated when the catalogue has it)."""
    parts: list[Text | str] = []
    for piece in (part.strip() for part in source.replace("；", ";").split(";")):
        if not piece:
            continue
        number, _space, rest = piece.partition(" ")
        number = FILES.get(number, number)
        if number in DOCUMENTS:
            parts.append(_("{document}{where}", document=DOCUMENTS[number], where=rest.strip()))
        else:
            # A public reference named in words ("服务商 JSAPI 下单（公开文档）"): translated when
            # the catalogue has it, shown as it is otherwise.
            parts.append(label(piece))
    return parts


def document_title(document: str) -> Text | str:
    """A knowledge-base entry's document (its seed file name) as its title."""
    number = FILES.get(document, document)
    return DOCUMENTS.get(number, document)
