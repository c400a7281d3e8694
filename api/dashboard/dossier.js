// The dossier page: both sides side by side with differing fields marked, findings with what they mean, what to do
// and their history, the acknowledgement form and the recheck button. The operator's token stays in
// sessionStorage, never in localStorage or a cookie; acknowledgements and rechecks are recorded under the name its
// token belongs to.
"use strict";

const params = new URLSearchParams(location.search);
const key = params.get("key") || "";
// The findings list's filters this page was opened from (docs/dashboard.md#addresses).
const back = params.get("back") || "";

// A side the dossier lacks, or whose stored content retention removed (its facts were kept for the rules).
function sideText(present, removedAt, value) {
  if (!present) return label("messages", "side_absent");
  return removedAt ? label("messages", "side_removed") : shortTime(value);
}

function renderFinding(f) {
  return el("article", { class: "finding state-" + f.state, "data-kind": f.kind, "data-reason": f.reason },
    el("h3", {}, "#" + f.id + " " + label("kinds", f.kind) + " — " + label("states", f.state)),
    el("p", {}, "Lý do: " + label("reasons", f.reason)),
    explanation("kinds", f.kind),
    explanation("reasons", f.reason),
    Object.keys(f.details).length ? el("p", { class: "details" }, detailsText(f.details)) : null,
    f.ack ? el("p", { class: "ack-note" }, "Đã ghi nhận bởi " + f.ack.by + " lúc " + shortTime(f.ack.at) + ": " + f.ack.note) : null,
    el("ol", { class: "events" }, ...f.events.map((e) => el("li", {}, historyLine(e)))));
}

function renderDossier(d) {
  document.getElementById("key").replaceChildren(codeText(d.key));
  document.getElementById("unit").textContent = d.unit_name;
  document.title = "Hồ sơ " + d.key + " — dvcrecon";
  document.querySelector("#fields tbody").replaceChildren(
    ...d.fields.map((f) =>
      el("tr", { class: f.differs ? "differs" : "", "data-field": f.field },
        el("th", { scope: "row" }, f.label),
        el("td", {}, sideText(d.provincial !== null || d.body_removed_at.provincial, d.body_removed_at.provincial, f.provincial)),
        el("td", {}, sideText(d.national !== null || d.body_removed_at.national, d.body_removed_at.national, f.national)))));
  const box = document.getElementById("findings");
  if (!d.findings.length) box.replaceChildren(el("p", { class: "muted" }, label("messages", "dossier_no_findings")));
  else box.replaceChildren(...d.findings.map(renderFinding));
  const select = document.querySelector("#ack select[name=id]");
  select.replaceChildren(...d.findings.map((f) => el("option", { value: f.id }, "#" + f.id + " " + label("kinds", f.kind))));
  document.getElementById("ack").hidden = d.findings.length === 0;
}

async function load() {
  if (!LABELS) await loadLabels();
  renderDossier(await apiGet("/api/dossiers/" + encodeURIComponent(key)));
}

async function submitAck(ev) {
  ev.preventDefault();
  const form = ev.target;
  const token = form.elements.token.value;
  const res = await fetch("/api/findings/" + encodeURIComponent(form.elements.id.value) + "/ack", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
    body: JSON.stringify({ note: form.elements.note.value }),
  });
  const body = await res.json().catch(() => ({}));
  const out = document.getElementById("ack-result");
  if (!res.ok) {
    const err = new ApiError(res.status, body.error);
    out.textContent = "Không ghi nhận được: " + err.message;
    out.title = err.detail;
    return;
  }
  // Kept only once it proved valid: a mistyped token would otherwise be sent, and refused, with every read.
  sessionStorage.setItem(TOKEN_SLOT, token);
  out.textContent = "Đã ghi nhận phát hiện #" + body.id + ".";
  form.elements.note.value = "";
  await load();
}

// "Lệch thông tin (Đang mở)", or the table's words for none.
function findingsText(list) {
  if (!list.length) return label("messages", "recheck_none");
  return list.map((f) => label("kinds", f.kind) + " (" + label("states", f.state) + ")").join("; ");
}

// docs/dashboard.md#recheck: both portals read now, the dossier evaluated again, its findings before → after.
async function submitRecheck(ev) {
  ev.preventDefault();
  const form = ev.target;
  const token = form.elements.token.value;
  const out = document.getElementById("recheck-result");
  out.replaceChildren(el("p", { class: "muted" }, "…"));
  const res = await fetch("/api/dossiers/" + encodeURIComponent(key) + "/recheck", {
    method: "POST",
    headers: { Authorization: "Bearer " + token },
  });
  const r = await res.json().catch(() => null);
  if (!r || (!res.ok && !r.key)) {
    const err = new ApiError(res.status, r ? r.error : "");
    out.replaceChildren(el("p", { class: "error", title: err.detail }, err.message));
    return;
  }
  sessionStorage.setItem(TOKEN_SLOT, token);
  const side = (name, s) => el("li", { "data-side": name, "data-result": s.result, title: s.message },
    label("sides", name) + ": " + label("messages", "recheck_" + s.result));
  out.replaceChildren(
    el("ul", {}, side("provincial", r.provincial), side("national", r.national)),
    r.evaluated
      ? el("p", { class: "recheck-change" }, findingsText(r.before) + " → " + findingsText(r.after))
      : el("p", { class: "error" }, label("messages", "recheck_not_evaluated")),
    r.pending ? el("p", { class: "muted" }, label("messages", "recheck_pending")) : null);
  await load();
}

document.addEventListener("DOMContentLoaded", () => {
  const recheckForm = document.getElementById("recheck");
  recheckForm.elements.token.value = sessionStorage.getItem(TOKEN_SLOT) || "";
  recheckForm.addEventListener("submit", (ev) => submitRecheck(ev).catch((e) => showError("error", e)));
  document.getElementById("back").href = "index.html" + (back ? "?" + back : "") + "#findings-section";
  const form = document.getElementById("ack");
  form.elements.token.value = sessionStorage.getItem(TOKEN_SLOT) || "";
  form.addEventListener("submit", (ev) => submitAck(ev).catch((e) => showError("error", e)));
  (async () => {
    await loadLabels();
    if (!key) throw new Error(label("messages", "missing_key"));
    await load();
    document.body.dataset.loaded = "true";
  })().catch((e) => showError("error", e));
});
