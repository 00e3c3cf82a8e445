// Bytes for local mode (本地计算). Browsers encode text as UTF-8 only (TextEncoder), so bytes in any
// other encoding — the GBK that a V2 "non_utf8_encoding" mistake hashes — come from the server,
// which has the codec, as base64 inside the page's JSON data block (data.js). Plain ES module:
// the browser and Node 20 (tests/js/) load the same file.

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes of a string.
 * @param {string} text
 * @returns {Uint8Array}
 */
export function utf8(text) {
  return encoder.encode(text);
}

/**
 * Bytes from base64 (the server's way of sending bytes the browser cannot encode itself).
 * @param {string} text
 * @returns {Uint8Array}
 */
export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Lower-case hex of some bytes.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function toHex(bytes) {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Bytes from hex (either case); null when the text is not an even run of hex digits.
 * @param {string} text
 * @returns {Uint8Array | null}
 */
export function fromHex(text) {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  const bytes = new Uint8Array(text.length / 2);
  for (let index = 0; index < bytes.length; index += 1) {
    bytes[index] = parseInt(text.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

/**
 * The parts joined into one array.
 * @param {...Uint8Array} parts
 * @returns {Uint8Array}
 */
export function concat(...parts) {
  let size = 0;
  for (const part of parts) size += part.length;
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/**
 * Whether two byte arrays hold the same bytes.
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 * @returns {boolean}
 */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * Whether a string is all ASCII (its GBK bytes are then its UTF-8 bytes).
 * @param {string} text
 * @returns {boolean}
 */
export function isAscii(text) {
  return /^[\x00-\x7f]*$/.test(text);
}

/** @type {Map<string, number[]> | null} */
let gbkTable = null;

/**
 * The GBK bytes of a string, or null when a character has none. Browsers only decode GBK
 * (TextDecoder), so the table is read once, backwards, from the decoder: every two-byte sequence
 * (about 30 ms). For the key only: strings the server knows come from it as bytes.
 * @param {string} text
 * @returns {Uint8Array | null}
 */
export function gbk(text) {
  if (isAscii(text)) return utf8(text);
  if (!gbkTable) {
    const decoder = new TextDecoder("gbk");
    gbkTable = new Map([["€", [0x80]]]);
    for (let lead = 0x81; lead <= 0xfe; lead += 1) {
      for (let trail = 0x40; trail <= 0xfe; trail += 1) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(new Uint8Array([lead, trail]));
        if (char.length === 1 && char !== "\ufffd" && !gbkTable.has(char)) gbkTable.set(char, [lead, trail]);
      }
    }
  }
  const bytes = [];
  for (const char of text) {
    const code = /** @type {number} */ (char.codePointAt(0));
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable.get(char);
      if (!pair) return null;
      bytes.push(...pair);
    }
  }
  return new Uint8Array(bytes);
}
