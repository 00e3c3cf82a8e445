// The key is revealed in the browser only: the server never sends it back, so the full
// stringSignTemp is composed here from string1 and the key the merchant typed.
const revealLabels = document.documentElement.lang === "en"
  ? { reveal: "Show key", hide: "Hide key", empty: "Key box is empty", show: "Show", conceal: "Hide" }
  : { reveal: "显示密钥", hide: "隐藏密钥", empty: "密钥框为空", show: "显示", conceal: "隐藏" };

document.addEventListener("click", (event) => {
  const reveal = event.target.closest("button.reveal");
  if (reveal) {
    const target = document.getElementById(reveal.dataset.revealTarget);
    const input = document.getElementById(reveal.dataset.keyInput);
    if (!target) return;
    const shown = reveal.getAttribute("aria-pressed") === "true";
    if (shown) {
      target.textContent = target.dataset.masked;
      reveal.setAttribute("aria-pressed", "false");
      reveal.textContent = revealLabels.reveal;
    } else if (input && input.value.trim()) {
      target.textContent = target.dataset.string1 + "&key=" + input.value.trim();
      reveal.setAttribute("aria-pressed", "true");
      reveal.textContent = revealLabels.hide;
    } else {
      reveal.textContent = revealLabels.empty;
    }
    return;
  }
  const toggle = event.target.closest("button.toggle-key");
  if (toggle) {
    const input = document.getElementById(toggle.dataset.toggleKey);
    if (!input) return;
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    toggle.setAttribute("aria-pressed", String(show));
    toggle.textContent = show ? revealLabels.conceal : revealLabels.show;
  }
});
