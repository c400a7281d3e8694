#include "connectors/page_loop.hpp"

namespace dvc {
namespace {

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

}  // namespace

boost::asio::awaitable<result<poll_result>> read_pages(keyset_pager& pager, const page_source& source,
                                                       const record_sink& sink, const progress_sink& progress) {
  poll_result out;
  while (!pager.done()) {
    if (out.pages >= source.max_pages) co_return too_many_pages(source);
    const page_query query = pager.next();
    const std::string description = source.describe(query);
    auto page = co_await source.fetch(query, description);
    if (!page) co_return page.error();
    ++out.pages;

    const std::vector<page_record>& records = page.value().page.records;
    hand_out(records, pager.accept(pager_entries(records, source.id, source.updated, description)), description, sink,
             out);
    if (progress && !pager.done()) progress(pager.next().from);
  }
  co_return out;
}

boost::asio::awaitable<result<poll_result>> read_pages(descending_pager& pager, const page_source& source,
                                                       const record_sink& sink) {
  poll_result out;
  while (!pager.done()) {
    if (out.pages >= source.max_pages) co_return too_many_pages(source);
    const page_query query = pager.next();
    const std::string description = source.describe(query);
    auto page = co_await source.fetch(query, description);
    if (!page) co_return page.error();
    ++out.pages;

    const std::vector<page_record>& records = page.value().page.records;
    hand_out(records, pager.accept(pager_entries(records, source.id, source.updated, description), page.value().last),
             description, sink, out);
  }
  co_return out;
}

}  // namespace dvc
