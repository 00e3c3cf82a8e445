// The server's data for local mode, read without inline script (the CSP stays strict).
//
// The page carries it in an element with a `data-json` attribute (autoescaped by Django):
//   <div id="local-v2" hidden data-json="{{ local_json }}"></div>      (the view: json.dumps)
// because htmx — configured with allowScriptTags false (base.html) — removes every <script> of a
// swapped fragment, JSON blocks included. A whole page may use Django's json_script instead:
//   {{ data|json_script:"local-data" }}   (a <script type="application/json">, never run)
// readData reads either. In an htmx fragment pass the swapped element as ``root``.

/**
 * The parsed JSON of the data element with this id under ``root``, or null when there is none.
 * @param {string} [id]
 * @param {ParentNode} [root]
 * @returns {any}
 */
export function readData(id = "local-data", root = document) {
  const block = root.querySelector(`#${CSS.escape(id)}`);
  if (!block) return null;
  const text = block instanceof HTMLScriptElement ? block.textContent : block.getAttribute("data-json");
  return text ? JSON.parse(text) : null;
}
