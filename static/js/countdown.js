// <span data-countdown="N">: counts down to 0, a second at a time (the wait a 429 asks for).
function startCountdowns(root) {
  for (const span of root.querySelectorAll("[data-countdown]:not([data-counting])")) {
    span.dataset.counting = "1";
    let left = Number(span.dataset.countdown) || 0;
    const timer = setInterval(() => {
      left = Math.max(0, left - 1);
      span.textContent = String(left);
      if (left === 0 || !span.isConnected) clearInterval(timer);
    }, 1000);
  }
}
document.addEventListener("DOMContentLoaded", () => startCountdowns(document));
document.body.addEventListener("htmx:afterSettle", () => startCountdowns(document));
