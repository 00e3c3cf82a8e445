// The Alipay key and certificate pages in local mode (本地计算): the 应用私钥 is read here and only
// its public half is posted, with the two facts the format checks need that the public half
// cannot tell — the header label as pasted and the content's format read from the DER — so a
// "BEGIN PRIVATE KEY" header over a PKCS#1 body is named as the server names it
// (diagnostics/alipay/keys.py _format_findings, pem_label_mismatch).
import { CAPS, cleanPaste, decodeBase64 } from "./pem.js";
import { readPrivateKey } from "./pkcs8.js";

// A header line's label: words separated by spaces, one way to match each run, no backtracking.
const BEGIN = /-----\s*BEGIN +([A-Z0-9]+(?: +[A-Z0-9]+)*) *\s*-----/;
const END = /-----\s*END /;

/**
 * What the page posts beside the public half: the label pasted ("" for bare base64) and the
 * content's format ("PKCS#1" or "PKCS#8"); empty values when the paste does not read as a key
 * (the page then names the fault with the server's sentence instead).
 * @param {string} text the pasted private key
 * @returns {{local_key_label: string, local_key_content: string}}
 */
export function keyFacts(text) {
  const cleaned = cleanPaste(text).text;
  const begin = BEGIN.exec(cleaned);
  let label = "";
  let body = cleaned;
  if (begin) {
    label = begin[1].replace(/ +/g, " ");
    const rest = cleaned.slice(begin.index + begin[0].length);
    const end = END.exec(rest);
    body = (end ? rest.slice(0, end.index) : rest)
      .split("\n")
      .filter((line) => !line.includes(":"))
      .join("\n");
  }
  const der = decodeBase64(body, "private_key");
  const read = der instanceof Uint8Array ? readPrivateKey(der, CAPS) : null;
  const content = read && read.kind === "private" ? read.format : "";
  return { local_key_label: content ? label : "", local_key_content: content };
}
