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

// The table's message for an HTTP status (reports/labels_vi.json "messages"); the API's own English sentence stays
// available as the error's `detail` (shown as a tooltip) for whoever reads the logs with the operator.
const STATUS_MESSAGES = {
  400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
  413: "payload_too_large", 421: "misdirected_request", 429: "too_many_requests", 500: "internal_server_error",
  502: "bad_gateway", 503: "service_unavailable",
};

class ApiError extends Error {
  constructor(status, detail) {
    const code = STATUS_MESSAGES[status];
    super(code ? label("messages", code) : "HTTP " + status);
    this.status = status;
    this.detail = detail || "";
  }
}

async function apiSend(method, path, body, retries = 3) {
  const headers = { Accept: "application/json", ...authHeaders() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // 503 with Retry-After: the sync rates are still being computed after a start; ask again when told.
  if (res.status === 503 && retries > 0 && res.headers.get("Retry-After")) {
    await new Promise((r) => setTimeout(r, 1000 * Math.min(10, Number(res.headers.get("Retry-After")) || 1)));
    return apiSend(method, path, body, retries - 1);
  }
  const parsed = await res.json().catch(() => null);
  if (parsed === null) throw new ApiError(res.ok ? 0 : res.status, label("messages", "not_json"));
  if (!res.ok) throw new ApiError(res.status, parsed.error);
  return parsed;
}

function apiGet(path) {
  return apiSend("GET", path);
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
  box.textContent = label("messages", "error") + ": " + (err && err.message ? err.message : err);
  box.title = err && err.detail ? err.detail : "";
  box.hidden = false;
}

function percent(v) {
  return v === null || v === undefined ? "—" : (v * 100).toFixed(2).replace(".", ",") + " %";
}

// "2024-07-25T10:00:00+07:00" → "25/07/2024 10:00" (the API's times are Vietnam time already); dateOnly drops the
// hour. Any other text is returned as it is.
const ISO_TIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;

function shortTime(iso) {
  return iso ? String(iso).replace(ISO_TIME, "$3/$2/$1 $4:$5") : "";
}

function dateOnly(iso) {
  return iso ? String(iso).replace(ISO_TIME, "$3/$2/$1") : "";
}

// A dossier code, never wrapped (style.css .code).
function codeText(key) {
  return el("span", { class: "code" }, key);
}

// The dossier page of `key`; `back` is the findings list's query, so its link back restores the same filters.
function dossierLink(key, back) {
  const q = new URLSearchParams({ key });
  if (back) q.set("back", back);
  return el("a", { href: "dossier.html?" + q.toString(), class: "code" }, key);
}

// One history event in words: "25/07/2024 10:00 · Phát hiện · → Đang mở · Chưa được đẩy lên".
function historyLine(e) {
  const parts = [shortTime(e.at), label("events", e.type),
    (e.from_state ? label("states", e.from_state) + " → " : "→ ") + label("states", e.to_state)];
  if (e.cause) parts.push(causeText(e));
  return parts.join(" · ") + (e.actor ? " (" + e.actor + ")" : "");
}

// An event's cause: the reason raised ("a -> b" when it changed), the ack's note, or a fixed phrase.
function causeText(e) {
  if (e.type === "ack") return e.cause;
  if (LABELS.causes && LABELS.causes[e.cause]) return LABELS.causes[e.cause];
  return e.cause.split(" -> ").map((r) => label("reasons", r)).join(" → ");
}

// A finding's details in words: each member named from the table, values of fields, sides and reasons translated.
function detailsText(details) {
  const out = [];
  for (const [k, v] of Object.entries(details || {})) {
    let value;
    if (k === "fields" && Array.isArray(v)) value = v.map((f) => label("fields", f)).join(", ");
    else if (k === "sides" && Array.isArray(v)) value = v.map((s) => label("sides", s)).join(", ");
    else if ((k === "provincial" || k === "national") && v && typeof v === "object")
      value = Object.entries(v).map(([f, x]) => label("fields", f) + " " + shortTime(x === null ? "—" : String(x))).join(", ");
    else if (Array.isArray(v)) value = v.join("; ");
    else value = v === null ? "—" : shortTime(String(v));
    out.push(label("details", k) + ": " + value);
  }
  return out.join(" · ");
}

// What a finding kind or reason means and what to do, from the table: <dl> of label, meaning, remedy.
function explanation(category, code) {
  const x = explained(category, code);
  if (!x) return null;
  return el("dl", { class: "explain", "data-code": code },
    el("dt", {}, x.label), el("dd", {}, x.explain), el("dd", { class: "remedy" }, "Cách xử lý: " + x.remedy));
}
