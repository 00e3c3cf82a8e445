// FAQ filter as you type: hides list items whose data-filter-text lacks every typed word.
document.addEventListener("input", (event) => {
  const input = event.target.closest("[data-filter-list]");
  if (!input) return;
  const root = document.getElementById(input.dataset.filterList);
  const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
  root.querySelectorAll("[data-filter-text]").forEach((item) => {
    const text = item.dataset.filterText;
    item.hidden = !words.every((word) => text.includes(word));
  });
  root.querySelectorAll("[data-filter-group]").forEach((group) => {
    group.hidden = !group.querySelector("[data-filter-text]:not([hidden])");
  });
});
