// The little DER that local mode reads and writes (ITU-T X.690): enough to tell a private key
// from a certificate or a public key, read an RSA private key's integers, and wrap a PKCS#1 key
// into PKCS#8 (RFC 5208), which is the only private-key form WebCrypto imports.
import { concat } from "./bytes.js";

export const SEQUENCE = 0x30;
export const INTEGER = 0x02;
export const OCTET_STRING = 0x04;
export const NULL = 0x05;
export const OID = 0x06;
export const BIT_STRING = 0x03;

/**
 * @typedef {{tag: number, start: number, end: number, next: number}} Element
 * one element: its tag, where its content starts and ends, and where the element after it starts
 */

/**
 * The element at ``at`` (definite lengths of up to 4 octets, as keys.py's _der_tlv reads them);
 * null when the bytes are cut short or the length is not one DER allows.
 * @param {Uint8Array} der
 * @param {number} at
 * @param {number} [limit] where the enclosing element ends
 * @returns {Element | null}
 */
export function readElement(der, at, limit = der.length) {
  if (at + 2 > limit) return null;
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 4 || start + count > limit) return null;
    length = 0;
    for (let index = 0; index < count; index += 1) length = length * 256 + der[start + index];
    start += count;
  }
  if (start + length > limit) return null;
  return { tag, start, end: start + length, next: start + length };
}

/**
 * The elements inside a constructed element, in order; null when one of them is malformed or
 * they do not fill it exactly.
 * @param {Uint8Array} der
 * @param {Element} parent
 * @returns {Element[] | null}
 */
export function children(der, parent) {
  /** @type {Element[]} */
  const items = [];
  let at = parent.start;
  while (at < parent.end) {
    const item = readElement(der, at, parent.end);
    if (!item) return null;
    items.push(item);
    at = item.next;
  }
  return items;
}

/**
 * An INTEGER's content as a non-negative BigInt (RSA's integers are all positive).
 * @param {Uint8Array} der
 * @param {Element} element
 * @returns {bigint}
 */
export function bigInt(der, element) {
  let value = 0n;
  for (let index = element.start; index < element.end; index += 1) {
    value = (value << 8n) | BigInt(der[index]);
  }
  return value;
}

/**
 * The octets of a length in DER.
 * @param {number} length
 * @returns {number[]}
 */
function lengthOctets(length) {
  if (length < 0x80) return [length];
  const octets = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return [0x80 | octets.length, ...octets];
}

/**
 * One element: tag, length, content.
 * @param {number} tag
 * @param {Uint8Array} content
 * @returns {Uint8Array}
 */
export function writeElement(tag, content) {
  const head = [tag, ...lengthOctets(content.length)];
  const element = new Uint8Array(head.length + content.length);
  element.set(head, 0);
  element.set(content, head.length);
  return element;
}

// rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 appendix C), as its DER content.
export const RSA_ENCRYPTION = new Uint8Array([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);

/**
 * A PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo:
 * SEQUENCE { INTEGER 0, SEQUENCE { rsaEncryption, NULL }, OCTET STRING { the PKCS#1 key } }.
 * @param {Uint8Array} pkcs1
 * @returns {Uint8Array}
 */
export function wrapPkcs1(pkcs1) {
  const version = writeElement(INTEGER, new Uint8Array([0]));
  const algorithm = writeElement(
    SEQUENCE,
    concat(writeElement(OID, RSA_ENCRYPTION), writeElement(NULL, new Uint8Array())),
  );
  return writeElement(SEQUENCE, concat(version, algorithm, writeElement(OCTET_STRING, pkcs1)));
}

/**
 * Whether two byte ranges hold the same bytes.
 * @param {Uint8Array} der
 * @param {Element} element
 * @param {Uint8Array} expected
 * @returns {boolean}
 */
export function contentEquals(der, element, expected) {
  if (element.end - element.start !== expected.length) return false;
  for (let index = 0; index < expected.length; index += 1) {
    if (der[element.start + index] !== expected[index]) return false;
  }
  return true;
}
