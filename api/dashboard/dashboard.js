// The dashboard: sync rate per unit against target, national's indicators beside it, the alert episodes, the monthly
// rate trend, open findings across runs, and the findings table. Filters, search, page and the trend's unit live in the address (docs/dashboard.md#addresses), so a
// view can be bookmarked and shared, and the back button returns to the previous one.
"use strict";

const PAGE = 50;
const FILTERS = ["kind", "unit", "state", "q"];
const view = { rates: [], indicators: [], unitNames: {}, offset: 0, total: 0, rateChart: null, trendChart: null,
               monthChart: null };

function unitName(code) {
  return view.unitNames[code] || code;
}

// The findings list's address for these filters: what a unit row links to, and what the dossier page links back to.
function listQuery(filters, offset) {
  const q = new URLSearchParams();
  for (const name of FILTERS) if (filters[name]) q.set(name, filters[name]);
  if (offset) q.set("offset", offset);
  return q;
}

function currentFilters() {
  const form = document.getElementById("filters");
  const out = {};
  for (const name of FILTERS) out[name] = form.elements[name].value.trim();
  if (out.state === "open") out.state = "";  // the default is not written into the address
  return out;
}

// Puts the address's filters into the form (on load and on the back button).
function restoreFilters() {
  const q = new URLSearchParams(location.search);
  const form = document.getElementById("filters");
  for (const name of FILTERS) form.elements[name].value = q.get(name) || (name === "state" ? "open" : "");
  view.offset = Math.max(0, Number(q.get("offset")) || 0);
  const trend = document.getElementById("trend-unit");
  trend.value = q.get("trend") || "";
}

function pushAddress() {
  const q = listQuery(currentFilters(), view.offset);
  const trend = document.getElementById("trend-unit").value;
  if (trend) q.set("trend", trend);
  const address = location.pathname + (q.toString() ? "?" + q.toString() : "");
  if (address !== location.pathname + location.search) history.pushState(null, "", address);
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
      // A unit's row leads to that unit's open findings.
      const name = r.unit_code
        ? el("a", { href: "?" + listQuery({ unit: r.unit_code }).toString() + "#findings-section", class: "unit-link" }, r.unit_name)
        : r.unit_name;
      return el("tr", { class: (r.unit_code === null ? "province" : "") + (pending ? " not-evaluated" : ""), "data-unit": r.unit_code || "" },
        el("td", {}, name, r.formerly && el("br"), r.formerly && el("small", {}, r.formerly)),
        el("td", {}, r.unit_code ? codeText(r.unit_code) : "", r.current_code ? " → " + r.current_code : ""), el("td", { class: "num" }, r.total),
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

// A gap between two fractions in percentage points, signed: "+2,50 điểm".
function points(v) {
  if (v === null || v === undefined) return "—";
  return (v > 0 ? "+" : "") + (v * 100).toFixed(2).replace(".", ",") + label("indicators", "points");
}

// National's view beside the province's own for the period chosen (docs/dashboard.md#indicators).
function renderIndicators() {
  const period = document.getElementById("period").value;
  const rows = view.indicators.filter((r) => r.period === period);
  document.querySelector("#indicator-table tbody").replaceChildren(
    ...rows.map((r) =>
      el("tr", { class: r.unit_code === null ? "province" : "", "data-unit": r.unit_code || "" },
        el("td", {}, r.unit_name, r.formerly && el("br"), r.formerly && el("small", {}, r.formerly)),
        el("td", { class: "num" }, r.provincial), el("td", { class: "num" }, r.national),
        el("td", { class: "num" }, percent(r.synced)), el("td", { class: "num" }, percent(r.strict)),
        el("td", { class: "num gap" }, points(r.gap)),
        el("td", { class: "num" }, percent(r.on_time_national.rate)),
        el("td", { class: "num" }, percent(r.on_time_provincial.rate)),
        el("td", { class: "num" }, points(r.on_time_gap)))));
  document.getElementById("indicators-empty").hidden = rows.length > 0;
}

async function loadIndicators() {
  view.indicators = await apiGet("/api/indicators");
  renderIndicators();
}

// Who an alert is about, in words: a unit or the province, a side, or a dossier (linked).
function alertSubject(a) {
  if (a.rule === "falsely_closed") return dossierLink(a.subject, "");
  if (a.rule === "poll_stale") return label("sides", a.subject);
  if (a.subject === "province") return label("alerts", "province");
  return el("span", { title: a.subject }, unitName(a.subject));
}

// The alert episodes the service recorded: open ones, and those that ended last (docs/dashboard.md#alerts).
async function loadAlerts() {
  const alerts = await apiGet("/api/alerts?limit=20");
  const row = (a, ended) =>
    el("tr", { "data-episode": a.id },
      el("td", {}, label("alert_rules", a.rule)), el("td", {}, alertSubject(a)),
      el("td", { class: "date" }, shortTime(a.opened_at)), ended ? el("td", { class: "date" }, shortTime(a.resolved_at)) : null);
  document.querySelector("#alerts-open tbody").replaceChildren(...alerts.open.map((a) => row(a, false)));
  document.querySelector("#alerts-recent tbody").replaceChildren(...alerts.recent.map((a) => row(a, true)));
  document.getElementById("alerts-open-note").textContent = !alerts.open.length
    ? label("alerts", "none_open")
    : alerts.open_total > alerts.open.length ? label("alerts", "more_open") + alerts.open_total : "";
  document.getElementById("alerts-recent-note").textContent = alerts.recent.length ? "" : label("alerts", "none_recent");
}

async function loadRates() {
  view.rates = await apiGet("/api/sync-rates");
  for (const r of view.rates) if (r.unit_code) view.unitNames[r.unit_code] = r.unit_name;
  const periods = [...new Set(view.rates.map((r) => r.period))].sort();
  const select = document.getElementById("period");
  select.replaceChildren(...periods.map((p) => el("option", { value: p }, p)));
  if (periods.length) select.value = periods[periods.length - 1];
  const units = Object.entries(view.unitNames).sort((a, b) => a[1].localeCompare(b[1], "vi"));
  for (const id of ["unit-filter", "trend-unit"]) {
    const unitSelect = document.getElementById(id);
    for (const [code, name] of units) unitSelect.append(el("option", { value: code }, name + " (" + code + ")"));
  }
  renderRates();
}

// The monthly sync rate of the unit chosen (the province when none), against its target (docs/dashboard.md#trend).
async function loadMonthlyTrend() {
  const unit = document.getElementById("trend-unit").value;
  const trend = await apiGet("/api/sync-rates/monthly" + (unit ? "?unit=" + encodeURIComponent(unit) : ""));
  const months = trend.months;
  if (view.monthChart) view.monthChart.destroy();
  view.monthChart = new Chart(document.getElementById("month-chart"), {
    type: "line",
    data: {
      labels: months.map((m) => m.period.slice(5) + "/" + m.period.slice(0, 4)),
      datasets: [
        { label: "Tỷ lệ đồng bộ đầy đủ (%)", data: months.map((m) => (m.rate === null ? null : +(m.rate * 100).toFixed(2))),
          borderColor: "#1f7a4d", backgroundColor: "#1f7a4d", spanGaps: false },
        { label: "Mục tiêu (%)", data: months.map((m) => m.target), borderColor: "#b8c4d6", backgroundColor: "#b8c4d6",
          borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
               scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } } },
  });
  document.getElementById("month-empty").hidden = months.length > 0;
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
      labels: runs.map((r) => shortTime(r.as_of)),
      datasets: [{ label: "Phát hiện đang mở", data: runs.map((r) => r.open_after), borderColor: "#1f4e8c",
                   backgroundColor: "#1f4e8c", tension: 0.2 }],
    },
    // A hundred runs are a few hours: a handful of labels, never overlapping.
    options: { animation: false, responsive: true, maintainAspectRatio: false,
               scales: { x: { ticks: { autoSkip: true, maxTicksLimit: 8, maxRotation: 0 } }, y: { beginAtZero: true } } },
  });
}

async function loadFindings() {
  const filters = currentFilters();
  const q = listQuery(filters, 0);
  q.set("limit", PAGE);
  q.set("offset", view.offset);
  const page = await apiGet("/api/findings?" + q.toString());
  view.total = page.total;
  const back = listQuery(filters, view.offset).toString();
  const body = document.querySelector("#findings tbody");
  body.replaceChildren(
    ...page.items.map((f) =>
      el("tr", { "data-key": f.key },
        el("td", {}, f.id), el("td", {}, dossierLink(f.key, back)),
        el("td", { title: explained("kinds", f.kind) ? explained("kinds", f.kind).explain : "" }, label("kinds", f.kind)),
        el("td", { title: explained("reasons", f.reason) ? explained("reasons", f.reason).explain : "" }, label("reasons", f.reason)),
        el("td", { title: f.unit_code }, unitName(f.unit_code)),
        el("td", { class: "state-" + f.state }, label("states", f.state)), el("td", { class: "date" }, shortTime(f.last_seen)),
        el("td", { title: f.ack ? f.ack.note : "" }, f.ack ? "✔ " + f.ack.by : ""))));
  const last = Math.min(view.offset + page.items.length, page.total);
  document.getElementById("count").textContent =
    page.total ? `Hiển thị ${view.offset + 1}–${last} trong ${page.total} phát hiện` : label("messages", "no_findings");
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
    pushAddress();
    await loadFindings();
  }));
  document.getElementById("period").addEventListener("change", () => {
    renderRates();
    renderIndicators();
  });
  document.getElementById("trend-unit").addEventListener("change", reportErrors(async () => {
    pushAddress();
    await loadMonthlyTrend();
  }));
  document.getElementById("prev").addEventListener("click", reportErrors(async () => {
    view.offset = Math.max(0, view.offset - PAGE);
    pushAddress();
    await loadFindings();
  }));
  document.getElementById("next").addEventListener("click", reportErrors(async () => {
    view.offset += PAGE;
    pushAddress();
    await loadFindings();
  }));
  // The back and forward buttons: the address changed, the page did not reload.
  window.addEventListener("popstate", reportErrors(async () => {
    restoreFilters();
    await Promise.all([loadFindings(), loadMonthlyTrend()]);
  }));
  reportErrors(async () => {
    await loadLabels();
    for (const node of document.querySelectorAll("[data-label]")) {
      const [category, code] = node.dataset.label.split(".");
      node.textContent = label(category, code);
    }
    const kindSelect = document.querySelector("#filters select[name=kind]");
    for (const k of Object.keys(LABELS.kinds)) kindSelect.append(el("option", { value: k }, label("kinds", k)));
    const stateSelect = document.querySelector("#filters select[name=state]");
    stateSelect.replaceChildren(...["open", "resolved", "reopened", "all"].map((s) => el("option", { value: s }, label("states", s))));
    await loadNotice();
    await loadRates();
    restoreFilters();
    await Promise.all([loadIndicators(), loadAlerts(), loadTrend(), loadMonthlyTrend(), loadFindings()]);
    document.body.dataset.loaded = "true";
  })();
});
