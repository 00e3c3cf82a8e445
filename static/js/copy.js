// Copy buttons: <button class="copy" data-copy-target="ID"> copies the text of #ID.
const copyLabels = document.documentElement.lang === "en"
  ? { copied: "Copied", selected: "Selected: press Ctrl+C" }
  : { copied: "已复制", selected: "已选中，按 Ctrl+C" };

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target) return;
  const text = button.dataset.copyText || target.textContent;
  // The label the page rendered ("复制", "复制链接", "Copy"…), restored after the feedback.
  button.dataset.label ??= button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = copyLabels.copied;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(target);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = copyLabels.selected;
  }
  setTimeout(() => { button.textContent = button.dataset.label; }, 1500);
});
