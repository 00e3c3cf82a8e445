// The server's JSON data block for local mode: a template writes
//   {{ data|json_script:"local-data" }}
// (a <script type="application/json">, which the CSP's script-src never runs: no inline script),
// and the page's module reads it here. In an htmx fragment the block arrives inside the swapped
// element: pass that element as ``root``.

/**
 * The parsed JSON of the data block with this id under ``root``, or null when there is none.
 * @param {string} [id]
 * @param {ParentNode} [root]
 * @returns {any}
 */
export function readData(id = "local-data", root = document) {
  const block = root.querySelector(`script[type="application/json"]#${CSS.escape(id)}`);
  if (!block || !block.textContent) return null;
  return JSON.parse(block.textContent);
}
