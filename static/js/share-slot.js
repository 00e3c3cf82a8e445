// "保存并分享" answers next to its button (templates/_share_slot.html): when the link arrives,
// focus it and select it, so it can be copied at once and a screen reader reads it.
document.body.addEventListener("htmx:oobAfterSwap", (event) => {
  if (event.detail.target?.id !== "share-slot") return;
  const input = document.getElementById("share-url-input");
  if (input) {
    input.focus();
    input.select();
  }
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches?.("[data-select-on-focus]")) event.target.select();
});
