// A private key's DER as the server reads it (diagnostics/core/keys.py): PKCS#8 or PKCS#1, its
// RSA numbers checked the way OpenSSL's validation would refuse a damaged copy, and PKCS#1
// wrapped into PKCS#8 for WebCrypto. A bare base64 paste is told apart from a certificate or a
// public key by its shape, in the order the server tries them (certificate, private, public).
import {
  BIT_STRING,
  bigInt,
  children,
  contentEquals,
  INTEGER,
  OCTET_STRING,
  OID,
  readElement,
  RSA_ENCRYPTION,
  SEQUENCE,
  wrapPkcs1,
} from "./der.js";

/**
 * @typedef {{n: bigint, e: bigint, d: bigint, p: bigint, q: bigint, dp: bigint, dq: bigint, qinv: bigint}} RsaNumbers
 * @typedef {{kind: "private", format: "PKCS#8" | "PKCS#1", pkcs8: Uint8Array, numbers: RsaNumbers}} PrivateKeyDer
 * @typedef {{kind: "certificate" | "public" | "unreadable"}} OtherDer
 * @typedef {{kind: "invalid", code: string, values?: Record<string, string | number>}} InvalidDer
 */

/**
 * The nine integers of a PKCS#1 RSAPrivateKey (RFC 8017 A.1.2), or null.
 * @param {Uint8Array} der
 * @param {import("./der.js").Element} element
 * @returns {RsaNumbers | null}
 */
function rsaNumbers(der, element) {
  if (element.tag !== SEQUENCE) return null;
  const items = children(der, element);
  if (!items || items.length < 9 || items.slice(0, 9).some((item) => item.tag !== INTEGER)) return null;
  const [version, n, e, d, p, q, dp, dq, qinv] = items.map((item) => bigInt(der, item));
  if (version !== 0n) return null; // multi-prime keys (version 1) are not payment keys
  return { n, e, d, p, q, dp, dq, qinv };
}

/**
 * The PKCS#1 key inside a PKCS#8 PrivateKeyInfo (RFC 5208) of an RSA key, or null.
 * @param {Uint8Array} der
 * @param {import("./der.js").Element} outer
 * @returns {import("./der.js").Element | null}
 */
function pkcs8Inner(der, outer) {
  const items = children(der, outer);
  if (!items || items.length < 3) return null;
  const [version, algorithm, key] = items;
  if (version.tag !== INTEGER || algorithm.tag !== SEQUENCE || key.tag !== OCTET_STRING) return null;
  const identifier = (children(der, algorithm) || [])[0];
  if (!identifier || identifier.tag !== OID || !contentEquals(der, identifier, RSA_ENCRYPTION)) return null;
  return readElement(der, key.start, key.end);
}

/**
 * Why OpenSSL would refuse these numbers, as the server's code: the caps first (keys.py
 * _check_rsa_size, before any validation), then the key's own consistency.
 * @param {RsaNumbers} numbers
 * @param {{max_bits: number, max_exponent: number}} caps
 * @returns {InvalidDer | null}
 */
export function numbersFault(numbers, caps) {
  const { n, e, d, p, q, dp, dq, qinv } = numbers;
  const bits = n.toString(2).length;
  if (bits > caps.max_bits) return { kind: "invalid", code: "rsa_key_too_large", values: { bits, limit: caps.max_bits } };
  if (e > BigInt(caps.max_exponent)) {
    return { kind: "invalid", code: "rsa_exponent_too_large", values: { bits: e.toString(2).length } };
  }
  const consistent =
    p > 1n &&
    q > 1n &&
    n === p * q &&
    (e * d) % (p - 1n) === 1n &&
    (e * d) % (q - 1n) === 1n &&
    dp === d % (p - 1n) &&
    dq === d % (q - 1n) &&
    (qinv * q) % p === 1n;
  return consistent ? null : { kind: "invalid", code: "key_invalid" };
}

/**
 * A private key's DER read: PKCS#8 or PKCS#1 (then wrapped), or why not.
 * @param {Uint8Array} der
 * @param {{max_bits: number, max_exponent: number}} caps
 * @returns {PrivateKeyDer | InvalidDer | OtherDer}
 */
export function readPrivateKey(der, caps) {
  const outer = readElement(der, 0);
  if (!outer || outer.tag !== SEQUENCE || outer.next !== der.length) return { kind: "unreadable" };
  const inner = pkcs8Inner(der, outer);
  const numbers = inner ? rsaNumbers(der, inner) : rsaNumbers(der, outer);
  if (!numbers) return { kind: "unreadable" };
  const fault = numbersFault(numbers, caps);
  if (fault) return fault;
  const format = inner ? "PKCS#8" : "PKCS#1";
  return { kind: "private", format, pkcs8: inner ? der : wrapPkcs1(der), numbers };
}

/**
 * What a bare base64 paste holds, by shape, in the server's order: a certificate
 * (SEQUENCE { SEQUENCE tbs, SEQUENCE algorithm, BIT STRING }), a private key, a public key
 * (SubjectPublicKeyInfo or PKCS#1 RSAPublicKey).
 * @param {Uint8Array} der
 * @param {{max_bits: number, max_exponent: number}} caps
 * @returns {PrivateKeyDer | InvalidDer | OtherDer}
 */
export function readAnyDer(der, caps) {
  const outer = readElement(der, 0);
  const items = outer && outer.tag === SEQUENCE && outer.next === der.length ? children(der, outer) : null;
  if (!items) return { kind: "unreadable" };
  const tags = items.map((item) => item.tag);
  if (tags.length === 3 && tags[0] === SEQUENCE && tags[1] === SEQUENCE && tags[2] === BIT_STRING) {
    return { kind: "certificate" };
  }
  const read = readPrivateKey(der, caps);
  if (read.kind !== "unreadable") return read;
  const spki = tags.length === 2 && tags[0] === SEQUENCE && tags[1] === BIT_STRING;
  const pkcs1 = tags.length === 2 && tags[0] === INTEGER && tags[1] === INTEGER;
  return { kind: spki || pkcs1 ? "public" : "unreadable" };
}
