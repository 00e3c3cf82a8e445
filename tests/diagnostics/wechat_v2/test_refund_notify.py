"""The V2 refund notification's req_info: AES-256-ECB/PKCS#7 under the lower-case hex MD5 of the
API key. Expected values come from other projects' published test vectors (each cited where it
is used) or from ``cryptography`` and ``hashlib`` called here directly."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from diagnostics.wechat_v2.refund_notify import (
    REQ_INFO_FIELDS,
    ReqInfoError,
    aes_ecb_decrypt,
    aes_ecb_encrypt,
    decrypt_req_info,
    encrypt_req_info,
    read_refund_notification,
)

API_KEY = "Wq3Ev5Rt7Yu9Io1Pa3Sd5Fg7Hj9Kl1Zx"  # 32 characters, made up
PLAINTEXT = (
    "<root><out_refund_no><![CDATA[R20261128001]]></out_refund_no>"
    "<out_trade_no><![CDATA[T20261128001]]></out_trade_no>"
    "<refund_account><![CDATA[REFUND_SOURCE_UNSETTLED_FUNDS]]></refund_account>"
    "<refund_fee><![CDATA[88]]></refund_fee>"
    "<refund_id><![CDATA[50300000000000000000000000001]]></refund_id>"
    "<refund_recv_accout><![CDATA[支付用户零钱]]></refund_recv_accout>"
    "<refund_request_source><![CDATA[API]]></refund_request_source>"
    "<refund_status><![CDATA[SUCCESS]]></refund_status>"
    "<settlement_refund_fee><![CDATA[88]]></settlement_refund_fee>"
    "<settlement_total_fee><![CDATA[100]]></settlement_total_fee>"
    "<success_time><![CDATA[2026-11-28 10:00:00]]></success_time>"
    "<total_fee><![CDATA[100]]></total_fee>"
    "<transaction_id><![CDATA[4200000000202611280000000001]]></transaction_id></root>"
)


def ecb_encrypt(plaintext: str, key: bytes) -> str:
    """AES-ECB/PKCS#7 and Base64, with cryptography called here (independent of the engine)."""
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def ecb_decrypt(req_info: str, key: bytes) -> str:
    decryptor = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
    data = decryptor.update(base64.b64decode(req_info)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode()


def md5_key(api_key: str) -> bytes:
    return hashlib.md5(api_key.encode()).hexdigest().encode()


def notification(req_info: str) -> str:
    return (
        "<xml><return_code>SUCCESS</return_code><appid><![CDATA[wx2421b1c4370ec43b]]></appid>"
        "<mch_id><![CDATA[10000100]]></mch_id><nonce_str><![CDATA[0b9f35f484df17a732e537c37708d1d0]]>"
        f"</nonce_str><req_info><![CDATA[{req_info}]]></req_info></xml>"
    )


def failure(text: str, api_key: str) -> ReqInfoError:
    with pytest.raises(ReqInfoError) as raised:
        read_refund_notification(text, api_key)
    return raised.value


# --- published vectors ----------------------------------------------------------------------

WECHATPY_API_KEY = "OF4Ne3znh8KqL0V4NqmALQa0uXMYKcEk"
WECHATPY_REQ_INFO = (
    "51A27s9LxbaEv52nBOrqa0FCs3HVIM31Wc3BpNqSCP5MQlS8HL1Vl7mZ21043B7PZy7adtOZGtZv44lGl0U8JXlVFL4Ltxsw"
    "6+pACjZBB0Qi1LUDjFlP2IyTxYX4eC57kxnCphDdIyRkU67kOWW/HN/efggTUlaPJkoL5kVe9Y1MZF55IHR4lwGI7WtVLtxA"
    "TX1tkAVZF+/ri0WlPXo9+GkqeB2/id6Ozw09Tqp8C/TKbmKBpRhTCRU2TzfQoLa6fjbgETFHJ795aEMyUZPQYbbsz6U9Rj9l"
    "UzEh8+Oc8KYTXa9zVk+nnFr82+yjffb3d36ylTe0y/VmYf90rf9cbiJQdM00zZ8Qa99SlMTs2wjOO4Mi4Btlg1PebsLF8Tkq"
    "bSZkRJDGs61UunUB8Km1b/VeBxXuv4D3H7DiVZ9Fj7lq2j07zFDpxxlhhen7kZvMWWO3lrfFpA9c4eFOqfF9SxcU9nBmHfDD"
    "1g/dsrMl6+a71xQHJ/gn80fZOefUBv92ggqutsuJ4gd4OqkmO0XUs8e4XQyLpra+LvpmahsU5lBIZuQcMq3FHrqe8hXTfp3+"
    "3qym2wGfvPI75jx41VZwmBQy9izB1Id+A5lUeXC5QJy+ryDu/dWkhB+aMjkElaI/Epmcc/IEPaI73W6Hc58hNednOM536rPn"
    "n+GDc98PdGszpLTjmaZSu8dtqwPaym66yRqFQowzFoBbooik57iHUFBCeWya7XcXYL9WKhRF3uIZM+Kfv9/Zs2pF+w9/EJpl"
    "tuzPpT1GP2VTMSHz45zwphFlS2lX8wHyZ+k9n2dptzQqpOCPedt5iQAmAe1oNQMxNdPDH9g68x9UzWD1kfK/dPO+3NPAh0XG"
    "+io4x15fIknNf7JLjpAuWicMMzCdwC4hhqeYOzQ+pC9f2xJXi5YViNKIZY69oO8eoHYRitLZrHLgx3oB2zimmqX6BI+DMklK"
    "AzAqqgGmbFxcVTvxZB6cMCx+H7TTWXnjAG+6A3SrCcxg0l5+UB93pkAYR7SVJ+VaZoiBqlqnZvb7IM17n9XaaFntlzvbbFCI"
    "a7OnOQb5Lvw="
)


def test_wechatpy_refund_notification_vector_decrypts_to_its_fields():
    """wechatpy/wechatpy, tests/test_crypto.py, test_refund_notify_decrypt_message: the whole
    notification XML and API key; the test asserts out_refund_no, out_trade_no, transaction_id and
    refund_id, which are checked here too."""
    xml = (
        "<xml>\n<return_code>SUCCESS</return_code>\n"
        "<appid><![CDATA[wx4f4bc4dec97d474b]]></appid>\n<mch_id><![CDATA[12345678]]></mch_id>\n"
        "<nonce_str><![CDATA[c1c237efc87ee8dfcb3f9124b63a4d94]]></nonce_str>\n"
        f"<req_info><![CDATA[{WECHATPY_REQ_INFO}]]></req_info>\n</xml>"
    )
    refund = read_refund_notification(xml, WECHATPY_API_KEY)
    assert refund.value("out_refund_no") == "1234"
    assert refund.value("out_trade_no") == "2020010418301551404339261814"
    assert refund.value("transaction_id") == "4200000483202001042069747825"
    assert refund.value("refund_id") == "50300103182020010413419046597"
    assert refund.plaintext == ecb_decrypt(WECHATPY_REQ_INFO, md5_key(WECHATPY_API_KEY))
    assert ("mch_id", "商户号", "12345678") in refund.outer
    # Every field of this real notification is one the documentation names.
    assert {name for name, _label, _value in refund.fields} <= set(REQ_INFO_FIELDS)
    assert all(label for _name, label, _value in refund.fields)


EASYWECHAT_PLAINTEXT = (
    "<root><out_refund_no><![CDATA[123]]></out_refund_no><out_trade_no><![CDATA[abc]]></out_trade_no>"
    "<refund_account><![CDATA[REFUND_SOURCE_UNSETTLED_FUNDS]]></refund_account><refund_fee><![CDATA[1]]>"
    "</refund_fee><refund_id><![CDATA[50000303712017072701466990000]]></refund_id><refund_recv_accout>"
    "<![CDATA[用户零钱]]></refund_recv_accout><refund_request_source><![CDATA[API]]>"
    "</refund_request_source><refund_status><![CDATA[SUCCESS]]></refund_status><settlement_refund_fee>"
    "<![CDATA[1]]></settlement_refund_fee><settlement_total_fee><![CDATA[1]]></settlement_total_fee>"
    "<success_time><![CDATA[2017-07-27 00:33:09]]></success_time><total_fee><![CDATA[1]]></total_fee>"
    "<transaction_id><![CDATA[4005302001201707272838220000]]></transaction_id></root>"
)
EASYWECHAT_CIPHERTEXT = (
    "m+cqC5OWNek/jGSeSFjMwxqoQmt9x/XQEPRosjYHR2a6kosdkuS2hFlt1QP/ykVOCm6PXnC0tOc7gsPzP3aG4Hhn7wJwJAvM"
    "hSUJhOAOlnXtHupbyiwb9vNgqAwcSr04U1yoI8UemDCz+TnIsbldurZh6UKtDqSutp/KiutgJ/9crss+fh9hy9UcBKO60JkJ"
    "gka79q6lkQoOKZh3kIHrFEZGFKcvCOJzx/heVtz8AHGoB/IuNV4Mh280FZM1TTe8V54eXgqHNAOdJCoYQuKu34tepA+a4sjC"
    "cPOmNU5wLCjEFQ/+w7Ad8U2i3bfaA713DPk5qV8IVSB1cMGZj+zZBGPT4OWBg0vZD4ZJCydf93e95CbxV7FuSPiFnZwjvsHB"
    "CA7DNGoAfSx72p5ZBcyCTFV9y4O9xTukHUmJNI8XK+JhR5Imz9u5422lfN5FcM6g4WdLDTVO/DiN4chaTUk9uqEiMqD2Bn3+"
    "ZWe/R91YDW8koG3qd7m/9y7sckptNQWU9fi+zk/AbCLHETiUIj4dtFxsZRTBUFIEmSl2ebcPEdowOLzjUe2uW/Qr8dDwFuWG"
    "sSYawYnsbsxliNc5DthzhcdB9MDkOab6hckUIC7639s6DKFP44Olgjc+tt5EfDpNxK0rHh4rhlCz9h5ZhzI7CVqJRx5pCLEB"
    "aJKntPeF9IWfj92VYMY7o8TesmqhiDWnGVGSK8vXDsQMAWIhHi2STvdVAZkaOTzF+cxVJsUgy2zVlGhNzlqjQZmLoXZ/Kiid"
    "7cfUQvg/Bqw4We6KRrAfTHplwjbghjVzqWsgJv8KI3cYjFJEtTy19a0z3yBrcthtjszmBEUyUG/d4O0DzGEG+JNB4VsMz/jW"
    "UJ2d2uJmpyvngyt5RkafRH4mCHWkNTPz5UCBZtJbvFzQ/VB/X077Apwgk7lfgULu1uVF9N108kRKQcrqoGEH/oZ6lo0wIXbI"
    "Tx+7lr91eMvu4JgGPSQW4MKbluSa28iwkE5YcnQbYd0="
)


def test_easywechat_aes_ecb_vector_encrypts_and_decrypts_both_ways():
    """w7corp/easywechat, tests/Kernel/Support/AesEcbTest.php, test_it_can_encrypt_and_decrypt:
    key md5('1234567890abcdef1234567890abcdef'), a whole <root> plaintext and its ciphertext; the
    test asserts both directions and out_refund_no 123."""
    api_key = "1234567890abcdef1234567890abcdef"
    assert encrypt_req_info(EASYWECHAT_PLAINTEXT, api_key) == EASYWECHAT_CIPHERTEXT
    refund = decrypt_req_info(EASYWECHAT_CIPHERTEXT, api_key)
    assert refund.plaintext == EASYWECHAT_PLAINTEXT
    assert refund.value("out_refund_no") == "123"
    assert refund.value("refund_recv_accout") == "用户零钱"


def test_ijpay_encrypt_data_vector_is_reproduced():
    """Javen205/IJPay, IJPay-WxPay/src/test/java/com/ijpay/wxpay/WxPayKitTest.java, encryptData
    and decryptData: WxPayKit.encryptData("IJPay", "42cc1d91bab89b65ff55b19e28fff4f0") is
    "K8fdh/6THGfTKio8pxXS6Q==" (hutool's default AES, ECB/PKCS5, under md5(key) lower-case)."""
    api_key = "42cc1d91bab89b65ff55b19e28fff4f0"
    assert encrypt_req_info("IJPay", api_key) == "K8fdh/6THGfTKio8pxXS6Q=="
    raw = base64.b64decode("K8fdh/6THGfTKio8pxXS6Q==")
    assert aes_ecb_decrypt(raw, md5_key(api_key)) == b"IJPay"


def test_wechatpay_php_aes_ecb_fixed_vector_is_reproduced():
    """wechatpay-apiv3/wechatpay-php, tests/Crypto/AesEcbTest.php, phrasesDataProvider 'fixed
    plaintext and key' (testEncrypt/testDecrypt): AesEcb::encrypt('hello',
    '0123456789abcdef0123456789abcdef') is 'pZwJZBLuy3mDACEQT4YTBw=='. Their AesEcb takes the AES
    key itself (the caller passes md5(API key)), so this checks the cipher, not the key step."""
    key = b"0123456789abcdef0123456789abcdef"
    assert base64.b64encode(aes_ecb_encrypt(b"hello", key)) == b"pZwJZBLuy3mDACEQT4YTBw=="
    assert aes_ecb_decrypt(base64.b64decode("pZwJZBLuy3mDACEQT4YTBw=="), key) == b"hello"


# --- the algorithm, checked with cryptography -----------------------------------------------


def test_encrypt_req_info_is_aes_256_ecb_under_the_lower_case_hex_md5_of_the_api_key():
    req_info = encrypt_req_info(PLAINTEXT, API_KEY)
    assert ecb_decrypt(req_info, md5_key(API_KEY)) == PLAINTEXT
    assert len(md5_key(API_KEY)) == 32  # the hex characters are the AES-256 key


def test_a_req_info_made_with_cryptography_decrypts_to_a_table_of_documented_fields():
    refund = read_refund_notification(
        notification(ecb_encrypt(PLAINTEXT, md5_key(API_KEY))), API_KEY
    )
    assert refund.plaintext == PLAINTEXT
    assert refund.fields[0] == ("out_refund_no", "商户退款单号", "R20261128001")
    assert refund.value("settlement_refund_fee") == "88"
    assert refund.value("refund_recv_accout") == "支付用户零钱"
    codes = [finding.code for finding in refund.findings]
    assert "req_info_decrypted" in codes and "refund_notification_unsigned" in codes


def test_req_info_alone_with_line_breaks_decrypts():
    req_info = ecb_encrypt(PLAINTEXT, md5_key(API_KEY))
    wrapped = "\n".join(req_info[i : i + 76] for i in range(0, len(req_info), 76))
    assert read_refund_notification(wrapped, API_KEY).value("refund_status") == "SUCCESS"


def test_refund_status_change_is_explained():
    changed = PLAINTEXT.replace("[SUCCESS]", "[CHANGE]")
    refund = decrypt_req_info(ecb_encrypt(changed, md5_key(API_KEY)), API_KEY)
    assert "refund_status_change" in [finding.code for finding in refund.findings]


# --- failures, named --------------------------------------------------------------------------


def test_text_that_is_not_base64_is_named():
    error = failure("req_info=abc%2Bdef!", API_KEY)
    assert error.code == "not_base64" and "!" in str(error.message)


def test_base64_cut_short_is_named():
    req_info = ecb_encrypt(PLAINTEXT, md5_key(API_KEY))
    assert failure(req_info[:-3], API_KEY).code == "not_base64"


def test_a_length_that_is_not_a_multiple_of_16_is_named():
    raw = base64.b64decode(ecb_encrypt(PLAINTEXT, md5_key(API_KEY)))[:-5]
    error = failure(base64.b64encode(raw).decode(), API_KEY)
    assert error.code == "bad_length"
    assert str(len(raw)) in str(error.message) and "multiple of 16" in str(error.message)


def test_url_safe_base64_is_named():
    req_info = base64.b64encode(b"\xfb\xff" * 24).decode()  # holds "+" and "/"
    urlsafe = req_info.replace("+", "-").replace("/", "_")
    assert failure(urlsafe, API_KEY).code == "req_info_urlsafe_base64"


def test_plus_signs_turned_into_spaces_are_named():
    req_info = ecb_encrypt(PLAINTEXT, md5_key(API_KEY))
    assert "+" in req_info
    assert failure(req_info.replace("+", " "), API_KEY).code == "req_info_plus_as_space"


def test_a_wrong_key_is_bad_padding_and_the_search_lists_what_it_tried():
    req_info = ecb_encrypt(PLAINTEXT, md5_key(API_KEY))
    error = failure(req_info, "Zx1Lk9Jh7Gf5Ds3Ap1Oi9Uy7Tr5Ew3Qm")
    assert error.code == "bad_padding"
    assert "Given final block not properly padded" in str(error.message)
    tried = {mistake.code: mistake.decrypts for mistake in error.mistakes}
    assert tried["raw_key_as_aes_key"] is False and tried["uppercase_md5"] is False
    assert tried["md5_digest_bytes"] is False
    # A 32-character key: the reminder that an APIv3 key looks the same.
    assert "apiv3_key_lookalike" in tried


def test_a_key_of_another_length_gets_its_length_said_instead():
    error = failure(ecb_encrypt(PLAINTEXT, md5_key(API_KEY)), "short-key-123")
    codes = [mistake.code for mistake in error.mistakes]
    assert "key_length" in codes and "apiv3_key_lookalike" not in codes
    assert "raw_key_as_aes_key" not in codes  # 13 bytes is no AES key: nothing to try


def test_a_wrong_key_whose_padding_is_valid_by_chance_is_still_bad_padding():
    """About one wrong key in 256 leaves a last byte of 0x01, valid PKCS#7; the noise that comes
    out is not taken for a plaintext."""
    raw = base64.b64decode(ecb_encrypt(PLAINTEXT, md5_key(API_KEY)))
    for attempt in range(20_000):
        wrong = f"wrong-key-{attempt:05d}-padding-xx"
        if aes_ecb_decrypt(raw, md5_key(wrong)) is not None:
            break
    else:
        pytest.fail("no wrong key with valid padding found")
    assert failure(base64.b64encode(raw).decode(), wrong).code == "bad_padding"


@pytest.mark.parametrize(
    ("aes_key", "code"),
    [
        (API_KEY.encode(), "raw_key_as_aes_key"),
        (md5_key(API_KEY).upper(), "uppercase_md5"),
        (hashlib.md5(API_KEY.encode()).digest(), "md5_digest_bytes"),
    ],
)
def test_the_search_names_the_slip_that_opens_it(aes_key, code):
    error = failure(ecb_encrypt(PLAINTEXT, aes_key), API_KEY)
    assert error.code == "bad_padding"
    assert error.mistakes[0].code == code and error.mistakes[0].decrypts


def test_an_md5_pasted_as_the_key_is_found_by_the_raw_key_slip():
    md5_hex = md5_key(API_KEY).decode()
    error = failure(ecb_encrypt(PLAINTEXT, md5_key(API_KEY)), md5_hex.upper())
    assert error.mistakes[0].code == "raw_key_as_aes_key"


def test_a_key_with_whitespace_is_found():
    error = failure(ecb_encrypt(PLAINTEXT, md5_key(API_KEY)), f" {API_KEY}\n")
    assert error.mistakes[0].code == "key_whitespace" and error.mistakes[0].decrypts


def test_a_payment_notification_is_not_a_refund_notification():
    payment = (
        "<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code>"
        "<transaction_id>4200000000</transaction_id><sign>ABC</sign></xml>"
    )
    error = failure(payment, API_KEY)
    assert error.code == "not_refund_notification" and "sign" in str(error.message)


def test_a_fail_notification_has_no_req_info():
    error = failure(
        "<xml><return_code>FAIL</return_code><return_msg>系统错误</return_msg></xml>", API_KEY
    )
    assert error.code == "not_refund_notification" and "系统错误" in str(error.message)


@pytest.mark.parametrize(
    "plaintext", ["<root><trade_state>SUCCESS</trade_state></root>", "just text, no XML"]
)
def test_a_plaintext_that_is_not_a_refund_is_named(plaintext):
    error = failure(ecb_encrypt(plaintext, md5_key(API_KEY)), API_KEY)
    assert error.code == "not_refund_notification" and not error.mistakes


def test_input_over_the_limit_is_refused_before_any_work():
    assert failure("A" * (256 * 1024 + 1), API_KEY).code == "too_large"
