// The review page, keyboard first: j/k move, a approve, e edit, s skip, z snooze, u undo,
// o open the original post, c copy a hand-off reply, ? the keys. Decisions go to the JSON API
// (with the session's CSRF token); after each one the focus moves to the next card.
(function () {
  const root = document.getElementById("review");
  if (!root) return;
  const workspace = root.dataset.workspace;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const toast = document.getElementById("toast");
  const help = document.getElementById("help");
  const live = () => Array.from(document.querySelectorAll("[data-testid=suggestion]:not(.done)"));
  let current = null;
  let last = null; // {card, id, action} of the last decision, for undo
  let toastTimer = null;

  function focus(card) {
    document.querySelectorAll(".card.current").forEach((c) => c.classList.remove("current"));
    current = card || null;
    if (!card) return;
    card.classList.add("current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }
  function move(step) {
    const all = live();
    if (!all.length) return focus(null);
    const i = all.indexOf(current);
    focus(all[Math.max(0, Math.min(i < 0 ? 0 : i + step, all.length - 1))]);
  }
  function count(tab, delta) {
    document.querySelectorAll(`[data-count="${tab}"]`).forEach((el) => {
      el.textContent = String(Math.max(0, Number(el.textContent) + delta));
    });
  }
  const TAB_OF = { approved: "approved", edited: "approved", rejected: "skipped", snoozed: "snoozed" };
  const SAID = { approved: "Approved", edited: "Approved as edited", rejected: "Skipped" };

  function showToast(message, undoable) {
    toast.querySelector(".message").textContent = message;
    toast.querySelector("button").hidden = !undoable;
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toast.hidden = true; }, 10000);
  }
  async function send(id, body) {
    const response = await fetch(`/api/workspaces/${encodeURIComponent(workspace)}/suggestions/${id}/decision`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { detail: "The server did not answer clearly; try again." }; }
    return { ok: response.ok, status: response.status, data };
  }
  function cardError(card, message) {
    const el = card.querySelector("[data-testid=card-error]");
    if (el) { el.textContent = message; el.hidden = !message; }
  }
  function when(iso) {
    return new Date(iso).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  async function decide(form, button) {
    const card = form.closest("[data-testid=suggestion]");
    const id = card.dataset.id;
    const action = button.value;
    const body = { action };
    const text = form.querySelector("textarea");
    if (action === "approve" && text) {
      body.final_text = text.value;
      const title = form.querySelector("[name=save_as_knowledge]");
      if (title && title.value.trim()) body.save_as_knowledge = title.value.trim();
      if (button.dataset.anyway) {
        body.approve_anyway = true;
        body.reason = form.querySelector("[name=reason]").value;
      }
    }
    const until = form.querySelector("[name=snooze_until]");
    if (action === "snooze" && until && until.value) body.snooze_until = new Date(until.value).toISOString();
    cardError(card, "");
    const result = await send(id, body);
    if (result.ok) {
      const status = result.data.status;
      card.querySelector("[data-testid=blocked]").hidden = true;
      card.classList.add("done");
      count("to-review", -1);
      count(TAB_OF[status], 1);
      last = { card, id, tab: TAB_OF[status] };
      const message = status === "snoozed" ? `Snoozed until ${when(result.data.snoozed_until)}` : SAID[status];
      showToast(message, true);
      const all = live();
      const next = all.find((c) => c.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_PRECEDING) || all[all.length - 1];
      focus(next || null);
      return;
    }
    if (result.status === 422 && result.data.reasons) {
      const box = card.querySelector("[data-testid=blocked]");
      const list = box.querySelector("ul");
      list.replaceChildren(...result.data.reasons.map((r) => { const li = document.createElement("li"); li.textContent = r; return li; }));
      box.hidden = false;
      box.querySelector("[name=reason]").focus();
      return;
    }
    if (result.status === 409) { // someone else decided: it leaves this queue
      card.classList.add("done");
      count("to-review", -1);
      showToast(result.data.detail, false);
      const all = live();
      focus(all.find((c) => c.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_PRECEDING) || all[all.length - 1]);
      return;
    }
    if (result.status === 401) { window.location.href = "/signin?next=" + encodeURIComponent(location.pathname + location.search); return; }
    cardError(card, result.data.detail || "That did not work; try again.");
  }

  async function undo() {
    if (!last) return;
    const { card, id, tab } = last;
    const result = await send(id, { action: "undo" });
    if (!result.ok) { showToast(result.data.detail, false); return; }
    last = null;
    card.classList.remove("done");
    count("to-review", 1);
    count(tab, -1);
    showToast("Back in the queue", false);
    focus(card);
  }

  document.querySelectorAll("form.decide").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      let button = event.submitter || form.querySelector("button[data-key=a]");
      // Enter in a field submits with the form's first button: "approve anyway" only counts
      // once the guard's reasons are on screen.
      if (button.dataset.anyway && button.closest("[data-testid=blocked]").hidden) {
        button = form.querySelector("button[data-key=a]");
      }
      decide(form, button);
    });
  });
  toast.querySelector("button").addEventListener("click", undo);
  document.querySelectorAll("[data-undo]").forEach((button) => {
    button.addEventListener("click", async () => {
      const result = await send(button.dataset.undo, { action: "undo" });
      if (result.ok) window.location.reload();
      else showToast(result.data.detail, false);
    });
  });
  async function copy(card) {
    const button = card && card.querySelector("[data-testid=copy]");
    if (!button) return;
    const text = button.dataset.text || card.querySelector("textarea")?.value || "";
    try { await navigator.clipboard.writeText(text); showToast("Reply copied", false); }
    catch (e) { showToast("Copy did not work here: select the text and copy it.", false); }
  }
  document.querySelectorAll("[data-testid=copy]").forEach((b) => b.addEventListener("click", () => copy(b.closest(".card"))));
  document.querySelectorAll("form.filters select").forEach((s) => s.addEventListener("change", () => s.form.submit()));
  document.querySelectorAll("[data-testid=suggestion]").forEach((card) => card.addEventListener("click", () => { if (!card.classList.contains("done")) focus(card); }));
  const bulk = document.querySelector("[data-testid=bulk]");
  function selected() {
    return live().filter((c) => c.querySelector("[data-testid=select]")?.checked);
  }
  function showBulk() {
    if (!bulk) return;
    const n = selected().length;
    bulk.hidden = n === 0;
    bulk.querySelector(".n").textContent = String(n);
  }
  document.querySelectorAll("[data-testid=select]").forEach((box) => box.addEventListener("change", showBulk));
  if (bulk) {
    bulk.querySelector("button").addEventListener("click", async () => {
      for (const card of selected()) {
        const form = card.querySelector("form.decide");
        card.querySelector("[data-testid=select]").checked = false;
        await decide(form, form.querySelector("button[data-key=a]"));
      }
      showBulk();
    });
  }
  const keysButton = document.querySelector("[data-testid=keys-button]");
  if (keysButton) keysButton.addEventListener("click", () => { help.hidden = !help.hidden; });

  function press(key) {
    const button = current && current.querySelector(`form.decide button[data-key="${key}"]`);
    if (button) button.form.requestSubmit(button);
  }
  document.addEventListener("keydown", (event) => {
    if (event.target.matches("textarea, input, select")) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const key = event.key;
    if (key === "?") { help.hidden = !help.hidden; return; }
    if (key === "Escape") { help.hidden = true; return; }
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "e") { event.preventDefault(); current?.querySelector("textarea")?.focus(); }
    else if (key === "u") undo();
    else if (key === "o") current?.querySelector("[data-testid=original]")?.click();
    else if (key === "c") copy(current);
    else if (key === "x") {
      const box = current?.querySelector("[data-testid=select]");
      if (box) { box.checked = !box.checked; showBulk(); }
    }
    else if (["a", "s", "z"].includes(key)) press(key);
  });
  focus(live()[0]);
})();
