#include "connectors/page_loop.hpp"

#include <charconv>
#include <cstdint>

#include "connectors/transport_profile.hpp"

namespace dvc {
namespace {

// The envelope's `field` as a count: a whole number, or a string of digits (national values are strings).
std::optional<std::size_t> count_member(const nlohmann::json& envelope, const std::optional<json_path>& field) {
  if (!field) return std::nullopt;
  const nlohmann::json* it = find_at(envelope, *field);
  if (!it) return std::nullopt;
  if (it->is_number_unsigned()) return it->get<std::size_t>();
  if (it->is_number_integer()) {
    const auto n = it->get<std::int64_t>();
    if (n < 0) return std::nullopt;
    return static_cast<std::size_t>(n);
  }
  if (!it->is_string()) return std::nullopt;
  const auto& text = it->get_ref<const std::string&>();
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

// What the query of `page` still matches after it: its total less the pages before it in the query and the page
// itself. Only pages after a full page advance within a query, so the pages before this one held as many records;
// a total of pages is counted in records of this page's size.
std::optional<std::size_t> remaining_after(const parsed_page& page, const page_query& query,
                                           const page_source& source) {
  const std::size_t per_page = page.page.records.size();
  if (const auto total = count_member(page.page.envelope, source.total_records)) {
    const std::size_t through = (query.page + 1) * per_page;
    return *total > through ? *total - through : 0;
  }
  if (const auto pages = count_member(page.page.envelope, source.total_pages))
    return *pages > query.page + 1 ? (*pages - query.page - 1) * per_page : 0;
  return std::nullopt;
}

connector_error too_many_pages(const page_source& source) {
  return {error_kind::paging_limit, "Listing " + source.side + " dossiers from " + source.origin + " took more than " +
                                        std::to_string(source.max_pages) + " pages (" + source.side +
                                        ".max_pages); stopped."};
}

// Hands each record of a page marked fresh to the sink and counts the others as seen again.
void hand_out(const std::vector<page_record>& records, const std::vector<bool>& fresh, const std::string& description,
              const record_sink& sink, poll_result& out) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!fresh[i]) {
      ++out.duplicates;
      continue;
    }
    sink(records[i], description + " #" + std::to_string(i));
    ++out.records;
  }
}

// What differs between the pagers: how each takes a page, and what progress can say after it. A keyset listing is
// sorted oldest first, so a caller may resume at the next query's start; a descending one carries counts only:
// until the watermark is reached, older records are still unread.
std::vector<bool> take(keyset_pager& pager, const std::vector<keyset_pager::entry>& entries, const parsed_page&) {
  return pager.accept(entries);
}

std::vector<bool> take(descending_pager& pager, const std::vector<keyset_pager::entry>& entries,
                       const parsed_page& page) {
  return pager.accept(entries, page.last);
}

listing_progress told_after(const keyset_pager& pager, const parsed_page& page, const page_query& query,
                            const page_source& source, const poll_result& out) {
  listing_progress told{out.pages, out.records, std::nullopt, std::nullopt};
  if (pager.done()) {
    told.remaining = 0;
  } else {
    told.remaining = remaining_after(page, query, source);
    told.read_before = pager.next().from;
  }
  return told;
}

listing_progress told_after(const descending_pager&, const parsed_page&, const page_query&, const page_source&,
                            const poll_result& out) {
  return {out.pages, out.records, std::nullopt, std::nullopt};
}

template <typename Pager>
boost::asio::awaitable<result<poll_result>> walk(Pager& pager, const page_source& source, const record_sink& sink,
                                                 const progress_sink& progress) {
  poll_result out;
  while (!pager.done()) {
    if (out.pages >= source.max_pages) co_return too_many_pages(source);
    const page_query query = pager.next();
    const std::string description = source.describe(query);
    auto page = co_await source.fetch(query, description);
    if (!page) co_return page.error();
    ++out.pages;

    const std::vector<page_record>& records = page.value().page.records;
    hand_out(records, take(pager, pager_entries(records, source.id, source.updated, description), page.value()),
             description, sink, out);
    if (progress) progress(told_after(pager, page.value(), query, source, out));
  }
  co_return out;
}

}  // namespace

boost::asio::awaitable<result<poll_result>> read_pages(keyset_pager& pager, const page_source& source,
                                                       const record_sink& sink, const progress_sink& progress) {
  return walk(pager, source, sink, progress);
}

boost::asio::awaitable<result<poll_result>> read_pages(descending_pager& pager, const page_source& source,
                                                       const record_sink& sink, const progress_sink& progress) {
  return walk(pager, source, sink, progress);
}

}  // namespace dvc
