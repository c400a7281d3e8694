// Shared by the dashboard pages: API calls, Vietnamese labels, small DOM helpers. No framework, no build step.
"use strict";

// The Vietnamese words of every code the API returns: one table (reports/labels_vi.json) served by /api/labels,
// loaded before a page draws anything.
let LABELS = null;

async function loadLabels() {
  LABELS = await apiGet("/api/labels");
  return LABELS;
}

// label("kinds", "falsely_closed") → "Kết thúc không đúng"; the code itself when the table has no entry.
function label(category, code) {
  const entry = LABELS && LABELS[category] ? LABELS[category][code] : undefined;
  if (entry === undefined || entry === null) return code;
  return typeof entry === "string" ? entry : entry.label || code;
}

// The explanation and remedy of a finding kind or reason ({label, explain, remedy}), or null.
function explained(category, code) {
  const entry = LABELS && LABELS[category] ? LABELS[category][code] : undefined;
  return entry && typeof entry === "object" ? entry : null;
}

// The operator's token, kept for this browser session only: sent with every call, so a token holder sees
// applicants' contact details (masked without one) and can use an API that requires a token for reads.
const TOKEN_SLOT = "dvcrecon.token";

function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_SLOT);
  return token ? { Authorization: "Bearer " + token } : {};
}

async function apiGet(path, retries = 3) {
  const res = await fetch(path, { headers: { Accept: "application/json", ...authHeaders() } });
  // 503 with Retry-After: the sync rates are still being computed after a start; ask again when told.
  if (res.status === 503 && retries > 0 && res.headers.get("Retry-After")) {
    await new Promise((r) => setTimeout(r, 1000 * Math.min(10, Number(res.headers.get("Retry-After")) || 1)));
    return apiGet(path, retries - 1);
  }
  const body = await res.json().catch(() => ({ error: "phản hồi không phải JSON (HTTP " + res.status + ")" }));
  if (!res.ok) throw new Error(body.error || "HTTP " + res.status);
  return body;
}

// el("td", {class: "x"}, "text", childNode, …): text is always set as text, never parsed as HTML.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) {
    if (c === undefined || c === null) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function showError(where, err) {
  const box = document.getElementById(where);
  if (!box) return;
  box.textContent = "Lỗi: " + (err && err.message ? err.message : err);
  box.hidden = false;
}

function percent(v) {
  return v === null || v === undefined ? "—" : (v * 100).toFixed(2).replace(".", ",") + " %";
}

function shortTime(iso) {
  return iso ? iso.replace("T", " ").slice(0, 16) : "";
}

function dossierLink(key) {
  return el("a", { href: "dossier.html?key=" + encodeURIComponent(key) }, key);
}
