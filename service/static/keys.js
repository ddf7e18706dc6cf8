// Keyboard-first review: j/k move between cards, a approve, e edit, s skip, z snooze.
(function () {
  const cards = () => Array.from(document.querySelectorAll("[data-testid=suggestion]"));
  let index = 0;
  function focus(i) {
    const all = cards();
    if (!all.length) return;
    index = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((c, n) => c.classList.toggle("current", n === index));
    all[index].scrollIntoView({ block: "nearest" });
  }
  function press(key) {
    const card = cards()[index];
    const button = card && card.querySelector(`button[data-key="${key}"]`);
    if (button) button.click();
  }
  document.addEventListener("keydown", (event) => {
    if (event.target.matches("textarea, input")) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.key === "j") focus(index + 1);
    else if (event.key === "k") focus(index - 1);
    else if (event.key === "e") { event.preventDefault(); cards()[index]?.querySelector("textarea")?.focus(); }
    else if (["a", "s", "z"].includes(event.key)) press(event.key);
  });
  focus(0);
})();
