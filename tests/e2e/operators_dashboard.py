#!/usr/bin/env python3
"""Drives headless Chromium through chromedriver's WebDriver HTTP API (standard library only) against a running
dvcrecon API: the dashboard shows every unit's name, filtering the findings table by a dossier code leaves only
that dossier's rows, and the dossier page marks differing fields. Then, by clicking links as an operator would:
a unit's row leads to that unit's findings with the filter in the address, a finding to its dossier page (every
word Vietnamese, each finding explained), its back link to the same filtered list; filters in the address survive a
reload and the back button; the monthly trend chart is drawn; the help page lists every finding kind and reason.
National's indicators are drawn beside the strict rate with the gap, and the alert episodes open and ended, all in
the label table's words. Saves screenshots of the pages.

With --first-sync (a ledger whose only run is still running, as during the first sync), it checks instead that
the dashboard shows the first-sync banner and no rate: every unit "chưa đánh giá", no coloured gap, no bar.
With --banner KIND WORDS it checks that /api/status and the dashboard carry a banner of KIND (partial, stale)
saying WORDS over the last complete evaluation's rates.

Usage: operators_dashboard.py API_URL SCREENSHOT_DIR TOKEN [--first-sync | --banner KIND WORDS]
"""
import base64
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

TIMEOUT_S = 30
# What the API says in place of a rate nobody computed (reports/sync_rates.hpp); the dashboard must show its words.
NOT_EVALUATED = "chưa đánh giá"


def fail(message):
    print(f"operators_dashboard.py: {message}", file=sys.stderr)
    sys.exit(1)


def http(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return json.loads(res.read() or b"{}")
    except urllib.error.HTTPError as e:
        fail(f"{method} {url}: HTTP {e.code}: {e.read()[:500]!r}")


def start_chromedriver():
    """chromedriver on a port the kernel chooses; returns (process, port) once it says it is listening."""
    driver = subprocess.Popen(["chromedriver", "--port=0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)
    lines = queue.Queue()

    def read_all():  # every line, to the end, so a full pipe can never stall chromedriver
        for line in driver.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read_all, daemon=True).start()
    deadline = time.monotonic() + TIMEOUT_S
    seen = ""
    while True:
        try:
            line = lines.get(timeout=max(0, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None:
            driver.kill()
            fail(f"chromedriver did not say it was listening within {TIMEOUT_S} s: {seen[-500:]!r}")
        seen += line
        started = re.search(r"started successfully on port (\d+)", line)
        if started:
            return driver, int(started.group(1))


# Resolves with the condition's first truthy value: checked at once, then on every change of the document, so the
# test waits on the page's own events (a MutationObserver), bounded by the session's script timeout.
WAIT_SCRIPT = """
const done = arguments[arguments.length - 1];
const condition = new Function(arguments[0]);
const args = Array.prototype.slice.call(arguments, 1, arguments.length - 1);
const check = () => { try { return condition.apply(null, args); } catch (e) { return null; } };
const now = check();
if (now) { done(now); return; }
const observer = new MutationObserver(() => {
  const value = check();
  if (value) { observer.disconnect(); done(value); }
});
observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


class browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="dvc-chromium-")
        self.driver, port = start_chromedriver()
        self.base = f"http://127.0.0.1:{port}"
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", f"--user-data-dir={self.profile}",
                "--window-size=1400,1800", "--lang=vi"]
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}}
        self.session = self.base + "/session/" + http("POST", self.base + "/session", caps)["value"]["sessionId"]
        http("POST", self.session + "/timeouts", {"script": TIMEOUT_S * 1000})

    def close(self):
        try:
            http("DELETE", self.session)
        finally:
            self.driver.terminate()
            self.driver.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)

    def go(self, url):
        http("POST", self.session + "/url", {"url": url})

    def js(self, script, *args):
        return http("POST", self.session + "/execute/sync", {"script": script, "args": list(args)})["value"]

    def wait_for(self, script, what, *args):
        """The first truthy value of `script` (a function body reading `arguments`), waiting at most TIMEOUT_S."""
        req = urllib.request.Request(self.session + "/execute/async", method="POST",
                                     data=json.dumps({"script": WAIT_SCRIPT, "args": [script, *args]}).encode(),
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S + 30) as res:
                return json.loads(res.read())["value"]
        except urllib.error.HTTPError as e:
            if b"timeout" not in e.read():
                raise
        error = self.js("const e = document.getElementById('error'); return e && !e.hidden ? e.textContent : '';")
        fail(f"timed out waiting for {what}" + (f"; the page says: {error}" if error else ""))

    def screenshot(self, path):
        png = base64.b64decode(http("GET", self.session + "/screenshot")["value"])
        with open(path, "wb") as out:
            out.write(png)


def first_sync(api, shots):
    rows = http("GET", api + "/api/sync-rates")
    if not rows or any(r["rate"] is not None or r["evaluated"] or r["rate_note"] != NOT_EVALUATED for r in rows):
        fail(f"during the first sync the API should give no rate and say so: {rows}")
    if not any(r["not_evaluated"] > 0 for r in rows):
        fail(f"during the first sync the API should count the dossiers read and not evaluated: {rows}")
    b = browser()
    try:
        b.go(api + "/")
        b.wait_for("return document.body.dataset.loaded === 'true';", "the dashboard to load")
        notice = b.js("const n = document.getElementById('notice'); return n.hidden ? null : [n.dataset.kind, n.textContent];")
        if not notice or notice[0] != "first_sync" or "Đang đồng bộ lần đầu" not in notice[1]:
            fail(f"no first-sync banner over the figures: {notice}")
        cells = b.js("return [...document.querySelectorAll('#rate-table tbody tr')].map(r => "
                     "[r.querySelector('td.rate').textContent, r.querySelector('td.below') !== null]);")
        if not cells or any(text != NOT_EVALUATED or coloured for text, coloured in cells):
            fail(f"the rate table shows figures or colours nobody computed: {cells}")
        bars = b.js("return Chart.getChart(document.getElementById('rate-chart')).data.datasets[0].data;")
        if any(v is not None for v in bars):
            fail(f"the chart draws rates nobody computed: {bars}")
        b.screenshot(os.path.join(shots, "dvcrecon-first-sync.png"))
        print(f"first sync: banner shown, {len(cells)} rows 'chưa đánh giá', no bar drawn")
    finally:
        b.close()


def banner(api, shots, kind, words):
    """The figures of an older complete evaluation under a banner of `kind`: /api/status says so, the dashboard
    shows it over the rates, which are still drawn (they are computed, only not current)."""
    status = http("GET", api + "/api/status")
    if not status["notice"] or status["notice"]["kind"] != kind or words not in status["notice"]["message"]:
        fail(f"/api/status should carry a {kind} notice saying {words!r}: {status}")
    b = browser()
    try:
        b.go(api + "/")
        b.wait_for("return document.body.dataset.loaded === 'true';", "the dashboard to load")
        notice = b.js("const n = document.getElementById('notice'); return n.hidden ? null : [n.dataset.kind, n.textContent];")
        if not notice or notice[0] != kind or words not in notice[1]:
            fail(f"no {kind} banner over the figures: {notice}")
        rates = b.js("return [...document.querySelectorAll('#rate-table tbody td.rate')].map(td => td.textContent);")
        if not any(t.endswith("%") for t in rates) or NOT_EVALUATED in rates:
            fail(f"under a {kind} banner the last complete evaluation's rates should still show: {rates}")
        b.screenshot(os.path.join(shots, f"dvcrecon-banner-{kind}.png"))
        print(f"{kind}: banner shown over {len(rates)} rates")
    finally:
        b.close()


def percent_text(v):
    """A fraction as the dashboard writes it: 0.875 → "87,50 %"."""
    return "—" if v is None else f"{v * 100:.2f}".replace(".", ",") + " %"


def indicators(b, api):
    """The indicator table of the period shown: a row per unit and the province, national's synced rate beside the
    strict one and their gap in points, headed by the label table's words."""
    labels = http("GET", api + "/api/labels")["indicators"]
    period = b.js("return document.getElementById('period').value;")
    rows = [r for r in http("GET", api + "/api/indicators") if r["period"] == period]
    if not rows:
        fail(f"/api/indicators has no rows for the period shown, {period}")
    headers = b.js("return [...document.querySelectorAll('#indicator-table thead th')].map(th => th.textContent);")
    expected = [labels[k] for k in ("unit", "provincial", "national", "synced", "strict", "gap", "on_time_national",
                                    "on_time_provincial", "on_time_gap")]
    if headers != expected:
        fail(f"the indicator table's headers should be the label table's words: {headers}")
    if b.js("return document.querySelector('#indicators-section h2').textContent;") != labels["title"]:
        fail("the indicators section has no title from the label table")
    drawn = b.js("return [...document.querySelectorAll('#indicator-table tbody tr')].map(tr =>"
                 " [...tr.querySelectorAll('td')].map(td => td.textContent));")
    if len(drawn) != len(rows):
        fail(f"{len(rows)} indicator rows for {period}, {len(drawn)} drawn")
    for r, cells in zip(rows, drawn):
        gap = "—" if r["gap"] is None else ("+" if r["gap"] > 0 else "") + f"{r['gap'] * 100:.2f}".replace(".", ",")
        want = [str(r["provincial"]), str(r["national"]), percent_text(r["synced"]), percent_text(r["strict"])]
        if not cells[0].startswith(r["unit_name"]) or cells[1:5] != want or not cells[5].startswith(gap):
            fail(f"indicator row of {r['unit_name']}: drawn {cells}, the API says {want} and gap {gap}")
    print(f"indicators: {len(drawn)} rows for {period}, synced beside strict with the gap")


def alerts(b, api):
    """The episodes operators_dashboard.sh planted: a falsely closed dossier still alerted (linked to its page) and a
    national side that could not be read, since recovered; rules and sides in words, no rule code shown."""
    labels = http("GET", api + "/api/labels")
    episodes = http("GET", api + "/api/alerts")
    if len(episodes["open"]) != 1 or len(episodes["recent"]) != 1:
        fail(f"/api/alerts should give the planted episodes, one open and one ended: {episodes}")
    opened = b.js("return [...document.querySelectorAll('#alerts-open tbody tr')].map(tr =>"
                  " [...tr.querySelectorAll('td')].map(td => td.textContent).concat([!!tr.querySelector('a.code')]));")
    recent = b.js("return [...document.querySelectorAll('#alerts-recent tbody tr')].map(tr =>"
                  " [...tr.querySelectorAll('td')].map(td => td.textContent));")
    key = episodes["open"][0]["subject"]
    if len(opened) != 1 or opened[0][:2] != [labels["alert_rules"]["falsely_closed"], key] or not opened[0][3]:
        fail(f"the open alert should name its rule in words and link its dossier {key}: {opened}")
    if len(recent) != 1 or recent[0][:2] != [labels["alert_rules"]["poll_stale"], labels["sides"]["national"]] \
            or not re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", recent[0][3]):
        fail(f"the ended alert should name its rule and side in words, with when it ended: {recent}")
    text = b.js("return document.getElementById('alerts-section').innerText;")
    codes = [r for r in labels["alert_rules"] if r in text]
    if codes:
        fail(f"the alerts section shows rule codes: {codes}")
    print("alerts: one open (dossier linked), one ended, in words")


def main():
    api, shots, token = sys.argv[1], sys.argv[2], sys.argv[3]
    if sys.argv[4:] == ["--first-sync"]:
        first_sync(api, shots)
        return
    if sys.argv[4:5] == ["--banner"]:
        banner(api, shots, sys.argv[5], sys.argv[6])
        return
    units = [r["unit_name"] for r in http("GET", api + "/api/sync-rates") if r["unit_code"]]
    if not units:
        fail("the API reports no units; the ledger is empty")
    findings = http("GET", api + "/api/findings?limit=1000")["items"]
    mismatch = next((f for f in findings if f["kind"] == "field_mismatch"), None)
    if mismatch is None:
        fail("no open field_mismatch in the ledger to look at")
    code = mismatch["key"]

    b = browser()
    try:
        b.go(api + "/")
        b.wait_for("return document.body.dataset.loaded === 'true';", "the dashboard to load")
        text = b.js("return document.body.innerText;")
        missing = [u for u in units if u not in text]
        if missing:
            fail(f"unit names not shown on the dashboard: {missing}")
        for label in ("Tỷ lệ hồ sơ được đồng bộ đầy đủ", "Danh sách phát hiện", "Toàn tỉnh"):
            if label not in text:
                fail(f"the dashboard does not show {label!r}")
        if not b.js("return document.getElementById('notice').hidden;"):
            fail("a banner is shown over figures that are current: " + b.js("return document.getElementById('notice').textContent;"))
        if not b.js("return !!Chart.getChart(document.getElementById('rate-chart'));"):
            fail("the sync-rate bar chart was not drawn")
        indicators(b, api)
        alerts(b, api)
        before = b.js("return document.querySelectorAll('#findings tbody tr').length;")
        if before < 2:
            fail(f"expected several findings in the table before filtering, saw {before}")
        b.screenshot(os.path.join(shots, "dvcrecon-dashboard.png"))

        b.js("document.getElementById('search').value = arguments[0];"
             "document.querySelector('#filters select[name=state]').value = 'all';"
             "document.getElementById('apply').click();", code)
        keys = b.wait_for(
            "const rows = [...document.querySelectorAll('#findings tbody tr')];"
            "const keys = rows.map(r => r.dataset.key);"
            "return rows.length > 0 && keys.every(k => k === arguments[0]) ? keys : null;",
            f"the findings table to show only {code}", code)
        print(f"dashboard: {len(units)} unit names shown; {before} rows, {len(keys)} after filtering by {code}")

        b.go(api + "/dossier.html?key=" + urllib.request.quote(code))
        b.wait_for("return document.body.dataset.loaded === 'true';", "the dossier page to load")
        differing = b.js("return [...document.querySelectorAll('#fields tr.differs')].map(r => r.dataset.field);")
        expected = set(mismatch["details"].get("fields", []))
        names = {"receipt_time": "received", "completion_time": "completed"}
        expected = {names.get(f, f) for f in expected}
        if not expected <= set(differing):
            fail(f"dossier {code}: fields {sorted(expected)} differ but the page marks {differing}")
        b.screenshot(os.path.join(shots, "dvcrecon-dossier.png"))
        print(f"dossier page: {code} marks {differing}")

        # A wrong token is refused and nothing is recorded; the right one records the note.
        submit = ("const f = document.getElementById('ack'); f.elements.note.value = arguments[0];"
                  "f.elements.token.value = arguments[1];"
                  "f.querySelector('button[type=submit]').click();")
        b.js(submit, "ghi chú sai mã", "wrong-token-of-nobody-0123456789abcdef")
        b.wait_for("return document.getElementById('ack-result').textContent.includes('Không ghi nhận');",
                   "the wrong token to be refused")
        b.js(submit, "Đã đề nghị đơn vị cập nhật lại", token)
        b.wait_for("return document.body.innerText.includes('Đã ghi nhận bởi e2e-operator');",
                   "the acknowledgement to show on the dossier page")
        stored = http("GET", api + "/api/findings/" + str(mismatch["id"]))
        if stored.get("ack", {}).get("note") != "Đã đề nghị đơn vị cập nhật lại" or stored["state"] != "open":
            fail(f"the acknowledgement was not recorded as expected: {stored.get('ack')}, state {stored['state']}")
        if b.js("return sessionStorage.getItem('dvcrecon.token');") != token:
            fail("the token was not kept in sessionStorage")
        print("ack form: wrong token refused, right token recorded")

        # The recheck button: serve-api holds no portal secret, so neither portal can be read; the page says so in
        # words and keeps the findings (the command-line and API paths against the simulator: recheck.sh).
        b.js("const f = document.getElementById('recheck'); f.elements.token.value = arguments[0];"
             "f.querySelector('button[type=submit]').click();", token)
        sides = b.wait_for("const li = [...document.querySelectorAll('#recheck-result li')];"
                           "return li.length === 2 ? li.map(l => [l.dataset.side, l.dataset.result, l.textContent]) : null;",
                           "the recheck's answer")
        said = b.js("return document.getElementById('recheck-result').innerText;")
        if [s[:2] for s in sides] != [["provincial", "failed"], ["national", "failed"]] or "chưa đối soát lại" not in said:
            fail(f"the recheck without portals should say neither could be read and nothing changed: {sides} {said!r}")
        print("recheck button: both portals unreadable here, said in words, findings kept")
        navigation(b, api, shots, findings)
    finally:
        b.close()


def navigation(b, api, shots, findings):
    labels = http("GET", api + "/api/labels")
    # A unit's row → that unit's findings, the filter written into the address.
    b.go(api + "/")
    b.wait_for("return document.body.dataset.loaded === 'true';", "the dashboard to load")
    if not b.js("const c = Chart.getChart(document.getElementById('month-chart'));"
                "return !!c && c.data.datasets[0].data.some(v => v !== null);"):
        fail("the monthly sync-rate chart was not drawn with any rate")
    unit = b.js("const a = document.querySelector('#rate-table tr[data-unit] a.unit-link');"
                "const code = a.closest('tr').dataset.unit; a.click(); return code;")
    b.wait_for("return document.body.dataset.loaded === 'true' && location.search.includes('unit=');",
               "the unit's findings to load")
    shown = b.js("return [document.getElementById('unit-filter').value,"
                 "[...document.querySelectorAll('#findings tbody tr td:nth-child(5)')].map(td => td.title)];")
    if shown[0] != unit or any(u != unit for u in shown[1]):
        fail(f"the row of unit {unit} should lead to its findings only: filter {shown[0]}, rows of {shown[1]}")
    print(f"navigation: unit row → {len(shown[1])} findings of {unit}")

    # Filters in the address: a reload keeps them, the back button returns to the previous ones.
    b.js("const f = document.getElementById('filters'); f.elements.state.value = 'all';"
         "f.elements.kind.value = 'field_mismatch'; document.getElementById('apply').click();")
    b.wait_for("return location.search.includes('kind=field_mismatch') && location.search.includes('state=all');",
               "the filters to be written into the address")
    b.js("location.reload();")
    b.wait_for("return document.body.dataset.loaded === 'true';", "the dashboard to load again")
    restored = b.js("const f = document.getElementById('filters');"
                    "return [f.elements.kind.value, f.elements.state.value, f.elements.unit.value,"
                    "[...document.querySelectorAll('#findings tbody tr td:nth-child(3)')].map(td => td.textContent)];")
    kind_label = labels["kinds"]["field_mismatch"]["label"]
    if restored[:3] != ["field_mismatch", "all", unit] or any(k != kind_label for k in restored[3]):
        fail(f"after a reload the address's filters should be restored: {restored}")
    b.js("history.back();")
    b.wait_for("const f = document.getElementById('filters');"
               "return f.elements.kind.value === '' && f.elements.state.value === 'open' ? true : null;",
               "the back button to restore the previous filters")
    print("navigation: filters restored on reload and by the back button")

    # A finding → its dossier page, in Vietnamese, explained; its back link → the same filtered list.
    b.js("const f = document.getElementById('filters'); f.elements.unit.value = '';"
         "f.elements.kind.value = 'field_mismatch'; f.elements.state.value = 'all'; document.getElementById('apply').click();")
    b.wait_for("return location.search.includes('kind=field_mismatch') &&"
               " document.querySelectorAll('#findings tbody tr').length > 0 &&"
               " [...document.querySelectorAll('#findings tbody tr td:nth-child(3)')].every(td => td.textContent === arguments[0]);",
               "the field_mismatch findings", kind_label)
    key = b.js("const a = document.querySelector('#findings tbody tr a'); const k = a.textContent; a.click(); return k;")
    b.wait_for("return document.body.dataset.loaded === 'true' && location.pathname.endsWith('dossier.html');",
               "the dossier page to load from the findings list")
    page = b.js("return [document.getElementById('key').textContent, document.body.innerText,"
                "document.querySelectorAll('dl.explain').length, getComputedStyle(document.querySelector('#key .code')).whiteSpace];")
    if page[0] != key:
        fail(f"the finding's link should open dossier {key}, opened {page[0]}")
    english = [w for w in [*labels["kinds"], *labels["reasons"], *labels["events"], "open", "resolved", "reopened"]
               if re.search(r"\b" + re.escape(w) + r"\b", page[1])]
    if english:
        fail(f"the dossier page shows English codes: {english}")
    if page[2] < 2:
        fail("the dossier page does not explain the finding's kind and reason")
    if page[3] != "nowrap":
        fail(f"dossier codes may wrap: white-space {page[3]}")
    b.screenshot(os.path.join(shots, "dvcrecon-dossier-explained.png"))
    b.js("document.getElementById('back').click();")
    b.wait_for("return document.body.dataset.loaded === 'true' && location.pathname.endsWith('/index.html');",
               "the findings list to load from the dossier page's back link")
    kept = b.js("const f = document.getElementById('filters'); return [f.elements.kind.value, f.elements.state.value];")
    if kept != ["field_mismatch", "all"]:
        fail(f"the dossier page's back link should keep the list's filters: {kept}")
    print(f"navigation: finding → dossier {key} (explained, no English codes) → back to the same filters")

    # The help page lists every kind and reason with what it means and what to do.
    b.go(api + "/help.html")
    b.wait_for("return document.body.dataset.loaded === 'true';", "the help page to load")
    listed = b.js("return [...document.querySelectorAll('dl.explain')].map(d => [d.id, d.querySelectorAll('dd').length]);")
    expected = {"kinds-" + k for k in labels["kinds"]} | {"reasons-" + r for r in labels["reasons"]}
    got = {i for i, n in listed if n == 2}
    if got != expected:
        fail(f"the help page should explain every kind and reason: missing {sorted(expected - got)}")
    findings_kinds = {f["kind"] for f in findings}
    if not findings_kinds <= set(labels["kinds"]):
        fail(f"kinds in the ledger without a label: {sorted(findings_kinds - set(labels['kinds']))}")
    b.screenshot(os.path.join(shots, "dvcrecon-help.png"))
    print(f"help page: {len(labels['kinds'])} kinds and {len(labels['reasons'])} reasons explained")


if __name__ == "__main__":
    main()
