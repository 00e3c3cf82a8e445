"""Certificate serial numbers as merchants type them: 40 upper-case hex digits (WeChat Pay's form),
any case, or the decimal that ``openssl x509 -text`` and Java's ``getSerialNumber()`` print."""

from __future__ import annotations

import re


def serial_hex(serial_number: int) -> str:
    """A certificate serial as WeChat Pay prints it: 40 upper-case hex digits, leading zeros kept.

    ``f"{n:X}"`` drops a leading zero (about 1 certificate in 16), which makes the right
    ``Wechatpay-Serial`` look like a mismatch; wechatpay-go fixed the same bug in 2021.

    >>> serial_hex(0x0ABC)
    '0000000000000000000000000000000000000ABC'
    """
    return format(serial_number, "040X")


def serial_number(text: str) -> int | None:
    """The integer a typed serial stands for: hex in either case, or decimal; None if neither.

    A run of digits is read as hex when it has the 40 characters of a WeChat Pay serial (or a
    leading zero), as decimal otherwise: a decimal serial is what ``openssl x509 -text`` and Java's
    ``getSerialNumber()`` print.

    >>> serial_number("5157f09eb86c2a5e0a4a2b45b5fec6c8a2e3c7d1") == serial_number(
    ...     "5157F09EB86C2A5E0A4A2B45B5FEC6C8A2E3C7D1")
    True
    >>> serial_number("255")
    255
    """
    serial = text.strip()
    if serial_is_decimal(serial):
        return int(serial)
    if re.fullmatch(r"[0-9A-Fa-f]{1,128}", serial):
        return int(serial, 16)
    return None


def serial_is_decimal(text: str) -> bool:
    """A serial typed in decimal: digits only, not 40 long, not starting with 0 (hex keeps zeros)."""
    serial = text.strip()
    return bool(re.fullmatch(r"[1-9][0-9]{0,59}", serial)) and len(serial) != 40


def same_serial(typed: str, certificate_serial: str) -> bool:
    """Whether a typed serial (hex any case, or decimal) names the certificate's serial."""
    typed_number = serial_number(typed)
    return typed_number is not None and typed_number == serial_number(certificate_serial)
