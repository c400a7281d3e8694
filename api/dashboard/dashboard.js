// The dashboard: sync rate per unit against target, open findings across runs, and the findings table.
"use strict";

const PAGE = 50;
const view = { rates: [], unitNames: {}, offset: 0, total: 0, rateChart: null, trendChart: null };

function unitName(code) {
  return view.unitNames[code] || code;
}

function renderRates() {
  const period = document.getElementById("period").value;
  const rows = view.rates.filter((r) => r.period === period);
  const body = document.querySelector("#rate-table tbody");
  body.replaceChildren(
    ...rows.map((r) => {
      // A rate no complete evaluation has computed is shown as such, in the API's words: no figure, no colour.
      const pending = !r.evaluated;
      const gap = r.rate === null ? "—" : (r.rate * 100 - r.target).toFixed(2).replace(".", ",");
      const below = r.rate !== null && r.rate * 100 < r.target;
      return el("tr", { class: (r.unit_code === null ? "province" : "") + (pending ? " not-evaluated" : "") },
        el("td", {}, r.unit_name), el("td", {}, r.unit_code || ""), el("td", { class: "num" }, r.total),
        el("td", { class: "num" }, r.fully_synced), el("td", { class: "num" }, r.not_evaluated || ""),
        el("td", { class: "num rate" }, pending ? r.rate_note : percent(r.rate)),
        el("td", { class: "num" }, r.target + " %"), el("td", { class: "num" + (below ? " below" : "") }, gap));
    }));
  const data = {
    labels: rows.map((r) => r.unit_name + (r.evaluated ? "" : " (" + r.rate_note + ")")),
    datasets: [
      { label: "Tỷ lệ đồng bộ đầy đủ (%)", data: rows.map((r) => (r.rate === null ? null : +(r.rate * 100).toFixed(2))),
        backgroundColor: rows.map((r) => (r.rate !== null && r.rate * 100 < r.target ? "#c0392b" : "#1f7a4d")) },
      { label: "Mục tiêu (%)", data: rows.map((r) => r.target), backgroundColor: "#b8c4d6" },
    ],
  };
  if (view.rateChart) view.rateChart.destroy();
  view.rateChart = new Chart(document.getElementById("rate-chart"), {
    type: "bar",
    data,
    options: { animation: false, responsive: true, maintainAspectRatio: false,
               scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } } },
  });
}

async function loadRates() {
  view.rates = await apiGet("/api/sync-rates");
  for (const r of view.rates) if (r.unit_code) view.unitNames[r.unit_code] = r.unit_name;
  const periods = [...new Set(view.rates.map((r) => r.period))].sort();
  const select = document.getElementById("period");
  select.replaceChildren(...periods.map((p) => el("option", { value: p }, p)));
  if (periods.length) select.value = periods[periods.length - 1];
  const unitSelect = document.querySelector("#filters select[name=unit]");
  for (const [code, name] of Object.entries(view.unitNames).sort((a, b) => a[1].localeCompare(b[1], "vi")))
    unitSelect.append(el("option", { value: code }, name + " (" + code + ")"));
  renderRates();
}

// The banner over the figures while the first sync runs, after a partial run, or when the figures are old.
async function loadNotice() {
  const status = await apiGet("/api/status");
  const box = document.getElementById("notice");
  box.textContent = status.notice ? status.notice.message : "";
  box.dataset.kind = status.notice ? status.notice.kind : "";
  box.hidden = !status.notice;
}

async function loadTrend() {
  const runs = (await apiGet("/api/runs?limit=100")).items;
  if (runs.length) document.getElementById("as-of").textContent = "đối soát lúc " + shortTime(runs[runs.length - 1].as_of);
  if (view.trendChart) view.trendChart.destroy();
  view.trendChart = new Chart(document.getElementById("trend-chart"), {
    type: "line",
    data: {
      labels: runs.map((r) => "#" + r.id + " " + shortTime(r.as_of)),
      datasets: [{ label: "Phát hiện đang mở", data: runs.map((r) => r.open_after), borderColor: "#1f4e8c",
                   backgroundColor: "#1f4e8c", tension: 0.2 }],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
               scales: { y: { beginAtZero: true } } },
  });
}

function filterQuery() {
  const form = document.getElementById("filters");
  const q = new URLSearchParams();
  for (const name of ["kind", "unit", "state", "q"]) {
    const v = form.elements[name].value.trim();
    if (v) q.set(name, v);
  }
  q.set("limit", PAGE);
  q.set("offset", view.offset);
  return q;
}

async function loadFindings() {
  const page = await apiGet("/api/findings?" + filterQuery().toString());
  view.total = page.total;
  const body = document.querySelector("#findings tbody");
  body.replaceChildren(
    ...page.items.map((f) =>
      el("tr", { "data-key": f.key },
        el("td", {}, f.id), el("td", {}, dossierLink(f.key)), el("td", { title: f.kind }, label("kinds", f.kind)),
        el("td", {}, f.reason), el("td", { title: f.unit_code }, unitName(f.unit_code)),
        el("td", { class: "state-" + f.state }, label("states", f.state)), el("td", {}, shortTime(f.last_seen)),
        el("td", { title: f.ack ? f.ack.note : "" }, f.ack ? "✔ " + f.ack.by : ""))));
  const last = Math.min(view.offset + page.items.length, page.total);
  document.getElementById("count").textContent =
    page.total ? `Hiển thị ${view.offset + 1}–${last} trong ${page.total} phát hiện` : "Không có phát hiện nào khớp bộ lọc";
  document.getElementById("prev").disabled = view.offset === 0;
  document.getElementById("next").disabled = last >= page.total;
}

function reportErrors(fn) {
  return (...args) => fn(...args).catch((e) => showError("error", e));
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("filters").addEventListener("submit", reportErrors(async (ev) => {
    ev.preventDefault();
    view.offset = 0;
    await loadFindings();
  }));
  document.getElementById("period").addEventListener("change", renderRates);
  document.getElementById("prev").addEventListener("click", reportErrors(async () => {
    view.offset = Math.max(0, view.offset - PAGE);
    await loadFindings();
  }));
  document.getElementById("next").addEventListener("click", reportErrors(async () => {
    view.offset += PAGE;
    await loadFindings();
  }));
  reportErrors(async () => {
    await loadLabels();
    const kindSelect = document.querySelector("#filters select[name=kind]");
    for (const k of Object.keys(LABELS.kinds)) kindSelect.append(el("option", { value: k }, label("kinds", k)));
    await loadNotice();
    await loadRates();
    await Promise.all([loadTrend(), loadFindings()]);
    document.body.dataset.loaded = "true";
  })();
});
