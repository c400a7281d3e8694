#include "reports/sync_rates.hpp"

#include <cstdio>
#include <utility>

#include "reports/labels.hpp"

namespace dvc {

evaluation_basis evaluation_basis_of(const ledger& db, const config& cfg, instant now) {
  if (const auto evaluated = db.latest_evaluated_run()) return {evaluated->as_of, evaluated->grace_s, evaluated->id};
  return {now, cfg.sync_grace_s, std::nullopt};
}

namespace {

// Before the first complete evaluation, every configured unit (and the province) in every period shown and in the
// current one (`now`'s, or the one asked for), with no figure: "not yet evaluated", not an empty list.
void include_every_unit(sync_rate_calculator& calc, const config& cfg, const period& current) {
  std::vector<period> periods = calc.periods();
  periods.push_back(current);
  for (const period& p : periods) {
    calc.include(p);
    for (const auto& u : cfg.units)
      // A unit listed only to name it as a predecessor has no row of its own when dossiers go to successors.
      if (cfg.attribute_to == unit_attribution::receiving || cfg.successions.current(u.code) == u.code)
        calc.include(p, u.code, u.name);
  }
}

// docs/rules.md#unit-successions: a row is named by its unit's current name and says which codes it had before.
std::vector<sync_rate_row> named_rows(const sync_rate_calculator& calc, const config& cfg,
                                      const evaluation_basis& basis) {
  auto rows = calc.rows();
  for (auto& r : rows) {
    r.no_evaluation_yet = !basis.run_id;
    if (r.province) continue;
    const std::string& current = cfg.successions.current(r.unit_code);
    r.former_codes = r.received_codes;
    if (current != r.unit_code) {
      r.current_code = current;
      r.former_codes.push_back(r.unit_code);
    }
    for (const auto& code : r.former_codes) {
      const std::string name = cfg.unit_name(code);
      r.formerly += (r.formerly.empty() ? formerly_label() : std::string("; ")) +
                    (name.empty() ? code : name + " (" + code + ")");
    }
    if (const std::string name = cfg.unit_name(current); !name.empty())
      r.unit_name = name;
    else if (current != r.unit_code || r.unit_name.empty())
      r.unit_name = current;  // the records' name is the old unit's
  }
  return rows;
}

// Sync rates attribute each dossier to its receiving unit or its successor, as configured.
void add_attributed(sync_rate_calculator& calc, const config& cfg, sync_subject s) {
  std::string unit = cfg.successions.attribute(s.unit_code, s.applied, cfg.attribute_to);
  if (unit != s.unit_code) s.received_code = std::exchange(s.unit_code, std::move(unit));
  calc.add(s);
}

sync_targets targets_of(const config& cfg) {
  sync_targets targets;
  targets.by_quarter = cfg.targets;
  return targets;
}

}  // namespace

std::vector<sync_rate_row> compute_sync_rates(const ledger& db, const config& cfg, std::optional<period> only,
                                              period::granularity g, instant now) {
  const evaluation_basis basis = evaluation_basis_of(db, cfg, now);
  sync_rate_calculator calc(basis.as_of, basis.grace_s, g, only, targets_of(cfg));
  db.each_sync_subject(
      basis.run_id, [&](const sync_subject& s) { add_attributed(calc, cfg, s); }, cfg.national.profile.lookup_only());
  if (!basis.run_id) include_every_unit(calc, cfg, only.value_or(period::of(now, g)));
  return named_rows(calc, cfg, basis);
}

sync_rates_by_granularity compute_sync_rates_by_month_and_quarter(const ledger& db, const config& cfg, instant now) {
  const evaluation_basis basis = evaluation_basis_of(db, cfg, now);
  sync_rate_calculator months(basis.as_of, basis.grace_s, period::granularity::month, std::nullopt, targets_of(cfg));
  sync_rate_calculator quarters(basis.as_of, basis.grace_s, period::granularity::quarter, std::nullopt,
                                targets_of(cfg));
  db.each_sync_subject(
      basis.run_id,
      [&](const sync_subject& s) {
        add_attributed(months, cfg, s);
        add_attributed(quarters, cfg, s);
      },
      cfg.national.profile.lookup_only());
  if (!basis.run_id) {
    include_every_unit(months, cfg, period::of(now, period::granularity::month));
    include_every_unit(quarters, cfg, period::of(now, period::granularity::quarter));
  }
  return {named_rows(months, cfg, basis), named_rows(quarters, cfg, basis), basis.run_id.has_value()};
}

std::vector<sync_rate_row> unevaluated_rows(const config& cfg, const period& p) {
  sync_rate_calculator calc(0, 0, p.unit, p, targets_of(cfg));
  include_every_unit(calc, cfg, p);
  return named_rows(calc, cfg, evaluation_basis{});
}

const std::string& not_evaluated_label() {
  static const std::string text = vi_label("messages", "rate_not_evaluated");
  return text;
}

const std::string& formerly_label() {
  static const std::string text = vi_label("messages", "formerly");
  return text;
}

bool not_yet_evaluated(const sync_rate_row& r) { return !r.rate && (r.no_evaluation_yet || r.not_evaluated > 0); }

std::optional<std::string_view> rate_note(const sync_rate_row& r) {
  if (not_yet_evaluated(r)) return not_evaluated_label();
  return std::nullopt;
}

nlohmann::json sync_rates_json(const std::vector<sync_rate_row>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows)
    out.push_back({{"unit_code", r.province ? nlohmann::json(nullptr) : nlohmann::json(r.unit_code)},
                   {"unit_name", r.unit_name},
                   {"period", r.period},
                   {"current_code", r.current_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.current_code)},
                   {"former_codes", r.former_codes},
                   {"formerly", r.formerly.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.formerly)},
                   {"total", r.total},
                   {"fully_synced", r.fully_synced},
                   {"not_evaluated", r.not_evaluated},
                   {"rate", r.rate ? nlohmann::json(*r.rate) : nlohmann::json(nullptr)},
                   {"target", r.target},
                   {"evaluated", !not_yet_evaluated(r)},
                   {"rate_note", rate_note(r) ? nlohmann::json(std::string(*rate_note(r))) : nlohmann::json(nullptr)}});
  return out;
}

namespace {
std::string joined_codes(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : " ") + c;
  return out;
}

xlsx_cell text_or_empty(const std::string& s) { return s.empty() ? xlsx_cell{} : xlsx_cell{s}; }
}  // namespace

std::vector<export_column> sync_rate_export_columns() {
  using col = export_column::kind;
  return {{"unit_code", col::text, 16},      {"unit_name", col::text, 34},       {"period", col::text, 12},
          {"total", col::whole, 12},         {"synced", col::whole, 12},         {"not_synced", col::whole, 12},
          {"not_evaluated", col::whole, 12}, {"rate_percent", col::percent, 12}, {"target_percent", col::percent, 12},
          {"rate_note", col::text, 16},      {"current_code", col::text, 16},    {"former_codes", col::text, 20},
          {"formerly", col::text, 40}};
}

void export_sync_rates(const std::vector<sync_rate_row>& rows, table_export& out) {
  for (const auto& r : rows) {
    std::vector<xlsx_cell> cells = {r.province ? xlsx_cell{} : xlsx_cell{r.unit_code},
                                    r.unit_name,
                                    r.period,
                                    double(r.total),
                                    double(r.fully_synced),
                                    double(r.total - r.fully_synced),
                                    double(r.not_evaluated),
                                    r.rate ? xlsx_cell{*r.rate * 100} : xlsx_cell{},
                                    r.target};
    cells.push_back(rate_note(r) ? xlsx_cell{std::string(*rate_note(r))} : xlsx_cell{});
    cells.push_back(text_or_empty(r.current_code));
    cells.push_back(text_or_empty(joined_codes(r.former_codes)));
    cells.push_back(text_or_empty(r.formerly));
    out.row(cells);
  }
}

}  // namespace dvc
