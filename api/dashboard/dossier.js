// The dossier page: both sides side by side with differing fields marked, findings with their history, and the
// acknowledgement form. The operator's token stays in sessionStorage, never in localStorage or a cookie; the
// acknowledgement is recorded under the name its token belongs to.
"use strict";

const key = new URLSearchParams(location.search).get("key") || "";

// A side the dossier lacks, or whose stored content retention removed (its facts were kept for the rules).
function sideText(present, removedAt, value) {
  if (!present) return "(không có)";
  return removedAt ? "(đã xoá theo thời hạn lưu trữ)" : value;
}

function renderDossier(d) {
  document.getElementById("key").textContent = d.key;
  document.getElementById("unit").textContent = d.unit_name;
  document.title = "Hồ sơ " + d.key + " — dvcrecon";
  document.querySelector("#fields tbody").replaceChildren(
    ...d.fields.map((f) =>
      el("tr", { class: f.differs ? "differs" : "", "data-field": f.field },
        el("th", { scope: "row" }, f.label),
        el("td", {}, sideText(d.provincial !== null || d.body_removed_at.provincial, d.body_removed_at.provincial, f.provincial)),
        el("td", {}, sideText(d.national !== null || d.body_removed_at.national, d.body_removed_at.national, f.national)))));
  const box = document.getElementById("findings");
  if (!d.findings.length) {
    box.replaceChildren(el("p", { class: "muted" }, "Hồ sơ này không có phát hiện nào."));
  } else {
    box.replaceChildren(
      ...d.findings.map((f) =>
        el("article", { class: "finding state-" + f.state },
          el("h3", {}, "#" + f.id + " " + label("kinds", f.kind) + " — " + label("states", f.state)),
          el("p", {}, "Lý do: " + f.reason + (Object.keys(f.details).length ? " · " + JSON.stringify(f.details) : "")),
          f.ack ? el("p", { class: "ack-note" }, "Đã ghi nhận bởi " + f.ack.by + " lúc " + shortTime(f.ack.at) + ": " + f.ack.note) : null,
          el("ol", { class: "events" },
            ...f.events.map((e) =>
              el("li", {}, shortTime(e.at) + " · " + e.type + " · " + (e.from_state ? e.from_state + " → " : "") +
                e.to_state + (e.cause ? " · " + e.cause : "") + (e.actor ? " (" + e.actor + ")" : "")))))));
  }
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
    out.textContent = "Không ghi nhận được: " + (body.error || "HTTP " + res.status);
    return;
  }
  // Kept only once it proved valid: a mistyped token would otherwise be sent, and refused, with every read.
  sessionStorage.setItem(TOKEN_SLOT, token);
  out.textContent = "Đã ghi nhận phát hiện #" + body.id + ".";
  form.elements.note.value = "";
  await load();
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("ack");
  form.elements.token.value = sessionStorage.getItem(TOKEN_SLOT) || "";
  form.addEventListener("submit", (ev) => submitAck(ev).catch((e) => showError("error", e)));
  if (!key) {
    showError("error", "thiếu tham số key (mã hồ sơ) trong địa chỉ");
    return;
  }
  load().then(() => (document.body.dataset.loaded = "true")).catch((e) => showError("error", e));
});
