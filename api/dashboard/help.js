// The help page: every finding kind and reason of the table (reports/labels_vi.json), with what it means and the
// usual remedy, so the page can never lag behind the kinds the program raises.
"use strict";

function explainedList(category) {
  return Object.keys(LABELS[category]).map((code) => {
    const box = explanation(category, code);
    box.id = category + "-" + code;
    return box;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  (async () => {
    await loadLabels();
    document.getElementById("kinds").replaceChildren(...explainedList("kinds"));
    document.getElementById("reasons").replaceChildren(...explainedList("reasons"));
    document.querySelector("#states tbody").replaceChildren(
      ...["open", "reopened", "resolved"].map((s) => el("tr", {}, el("td", { class: "state-" + s }, label("states", s)),
        el("td", {}, Object.entries(LABELS.events).filter(([e]) => e === s || (s === "open" && e === "opened"))
          .map(([, v]) => v).join(", ")))));
    document.body.dataset.loaded = "true";
  })().catch((e) => showError("error", e));
});
