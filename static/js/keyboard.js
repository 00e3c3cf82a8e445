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

document.body.addEventListener("htmx:afterSettle", (event) => {
  const trigger = event.detail.requestConfig?.triggeringEvent;
  if (!trigger || trigger.type !== "submit") return;
  if (document.activeElement?.id === "share-url-input") return;
  const region = document.getElementById("result") || document.getElementById("results");
  const heading = region?.querySelector("h2, [role=alert]");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: false });
});
