#include "connectors/page_loop.hpp"

namespace dvc {

boost::asio::awaitable<result<poll_result>> read_pages(keyset_pager& pager, const page_source& source,
                                                       const record_sink& sink, const progress_sink& progress) {
  poll_result out;
  while (!pager.done()) {
    if (out.pages >= source.max_pages)
      co_return connector_error{error_kind::paging_limit, "Listing " + source.side + " dossiers from " + source.origin +
                                                              " took more than " + std::to_string(source.max_pages) +
                                                              " pages (" + source.side + ".max_pages); stopped."};
    const page_query query = pager.next();
    const std::string description = source.describe(query);
    auto page = co_await source.fetch(query, description);
    if (!page) co_return page.error();
    ++out.pages;

    const std::vector<page_record>& records = page.value().page.records;
    const std::vector<bool> fresh = pager.accept(pager_entries(records, source.id_field, source.updated, description));
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!fresh[i]) {
        ++out.duplicates;
        continue;
      }
      sink(records[i], description + " #" + std::to_string(i));
      ++out.records;
    }
    if (progress && !pager.done()) progress(pager.next().from);
  }
  co_return out;
}

}  // namespace dvc
