// Copy buttons: <button class="copy" data-copy-target="ID"> copies the text of #ID.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target) return;
  const text = button.dataset.copyText || target.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "已复制";
  } catch {
    const range = document.createRange();
    range.selectNodeContents(target);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = "已选中，按 Ctrl+C";
  }
  setTimeout(() => { button.textContent = "复制"; }, 1500);
});
