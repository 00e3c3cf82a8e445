// The Alipay key and certificate pages in local mode (本地计算): the 应用私钥 is read here and only
// its public half is posted, with the two facts the format checks need that the public half
// cannot tell — the header label as pasted and the content's format read from the DER — so a
// "BEGIN PRIVATE KEY" header over a PKCS#1 body is named as the server names it
// (diagnostics/alipay/keys.py _format_findings, pem_label_mismatch).
import { CAPS, cleanPaste, decodeBase64, pemParts } from "./pem.js";
import { readPrivateKey } from "./pkcs8.js";


/**
 * What the page posts beside the public half: the label pasted ("" for bare base64) and the
 * content's format ("PKCS#1" or "PKCS#8"); empty values when the paste does not read as a key
 * (the page then names the fault with the server's sentence instead).
 * @param {string} text the pasted private key
 * @returns {{local_key_label: string, local_key_content: string}}
 */
export function keyFacts(text) {
  const { label, body } = pemParts(cleanPaste(text).text);
  const der = decodeBase64(body, "private_key");
  const read = der instanceof Uint8Array ? readPrivateKey(der, CAPS) : null;
  const content = read && read.kind === "private" ? read.format : "";
  return { local_key_label: content ? label : "", local_key_content: content };
}
