// Keyboard: Ctrl/⌘+Enter submits the form being typed in; after an answer the merchant asked for
// (a submit, not a live update while typing) arrives, focus moves to its heading, so a screen
// reader and the keyboard continue from the answer. The share link keeps focus when it arrives.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const form = event.target.closest?.("form");
  if (!form || !event.target.matches("textarea, input")) return;
  event.preventDefault();
  form.requestSubmit();
});

// A live update that lands after the submit (its typing pause ran out) replaces the answer the
// keyboard is on: the focus stays at the answer's heading instead of falling to the page.
let focusInAnswer = false;
document.body.addEventListener("htmx:beforeSwap", () => {
  const region = document.getElementById("result") || document.getElementById("results");
  focusInAnswer = Boolean(region && region.contains(document.activeElement));
});

document.body.addEventListener("htmx:afterSettle", (event) => {
  const trigger = event.detail.requestConfig?.triggeringEvent;
  const wasInAnswer = focusInAnswer;
  focusInAnswer = false;
  if (!wasInAnswer && (!trigger || trigger.type !== "submit")) return;
  if (document.activeElement?.id === "share-url-input") return;
  const region = document.getElementById("result") || document.getElementById("results");
  const heading = region?.querySelector("h2, [role=alert]");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: false });
});
