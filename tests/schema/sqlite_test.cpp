#include "schema/sqlite.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>

using namespace dvc::sqlite;

TEST_CASE("statement binds and reads back every type, including NULL and a blob") {
  database db(":memory:");
  db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT)");
  statement ins(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)");
  const std::array<std::byte, 3> blob{std::byte{0}, std::byte{0xff}, std::byte{7}};
  ins.bind(1, std::int64_t{9'007'199'254'740'993}).bind(2, 2.5).bind(3, "Sở Giao thông").bind(4, blob).bind_null(5);
  ins.run();

  statement sel(db, "SELECT i, d, s, b, n FROM t");
  REQUIRE(sel.step());
  CHECK(sel.get_int(0) == 9'007'199'254'740'993);
  CHECK(sel.get_double(1) == 2.5);
  CHECK(sel.get_text(2) == "Sở Giao thông");
  CHECK(sel.get_blob(3) == std::string("\0\xff\x07", 3));
  CHECK(sel.is_null(4));
  CHECK_FALSE(sel.get_optional_text(4).has_value());
  CHECK(sel.get_optional_int(0) == 9'007'199'254'740'993);
  CHECK_FALSE(sel.step());
}

TEST_CASE("optional bind writes NULL for nullopt and the value otherwise") {
  database db(":memory:");
  db.exec("CREATE TABLE t (v INTEGER)");
  statement ins(db, "INSERT INTO t VALUES (?)");
  ins.bind(1, std::optional<std::int64_t>{}).run();
  ins.bind(1, std::optional<std::int64_t>{42}).run();
  statement sel(db, "SELECT v FROM t ORDER BY rowid");
  REQUIRE(sel.step());
  CHECK(sel.is_null(0));
  REQUIRE(sel.step());
  CHECK(sel.get_int(0) == 42);
}

TEST_CASE("a statement is reusable after reset") {
  database db(":memory:");
  statement st(db, "SELECT ? * 2");
  st.bind(1, 4);
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 8);
  st.reset();
  st.bind(1, 21);
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 42);
}

TEST_CASE("a transaction that is not committed rolls back when destroyed") {
  database db(":memory:");
  db.exec("CREATE TABLE t (v INTEGER)");
  {
    transaction tx(db);
    db.exec("INSERT INTO t VALUES (1)");
  }
  CHECK(db.query_int("SELECT COUNT(*) FROM t") == 0);
  {
    transaction tx(db);
    db.exec("INSERT INTO t VALUES (2)");
    tx.commit();
    CHECK(tx.committed());
  }
  CHECK(db.query_int("SELECT SUM(v) FROM t") == 2);
}

TEST_CASE("errors carry SQLite's message and code") {
  database db(":memory:");
  db.exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)");
  db.exec("INSERT INTO t VALUES (1)");
  statement ins(db, "INSERT INTO t VALUES (?)");
  ins.bind(1, 1);
  try {
    ins.step();
    FAIL("a UNIQUE violation must throw");
  } catch (const error& e) {
    CHECK(e.primary_code() == 19);  // SQLITE_CONSTRAINT
    CHECK(std::string(e.what()).find("UNIQUE constraint failed: t.v") != std::string::npos);
    CHECK_FALSE(e.fatal());
  }
  CHECK_THROWS_AS(statement(db, "SELEC nonsense"), error);
  CHECK_THROWS_WITH_AS(database("/nonexistent-dir/x/ledger.db"), doctest::Contains("/nonexistent-dir/x/ledger.db"),
                       error);
}

TEST_CASE("I/O and full-disk errors are fatal, busy is not") {
  CHECK(error(10, "io").fatal());             // SQLITE_IOERR
  CHECK(error(10 | (3 << 8), "io").fatal());  // SQLITE_IOERR_WRITE, an extended code
  CHECK(error(13, "full").fatal());           // SQLITE_FULL
  CHECK_FALSE(error(5, "busy").fatal());      // SQLITE_BUSY
}

TEST_CASE("a full database fails the transaction with a fatal error, and none of it is stored") {
  database db(":memory:");
  db.exec("CREATE TABLE filler (x BLOB)");
  // A page cap stands in for a full disk: SQLite reports SQLITE_FULL the same way.
  db.exec("PRAGMA max_page_count = " + std::to_string(db.query_int("PRAGMA page_count") + 4));
  bool fatal = false;
  std::string message;
  try {
    transaction tx(db);
    statement ins(db, "INSERT INTO filler VALUES (randomblob(4000))");
    for (int i = 0; i < 100; ++i) ins.run();
    tx.commit();
  } catch (const error& e) {
    fatal = e.fatal();
    message = e.what();
  }
  CHECK(fatal);
  CHECK(message.find("database or disk is full") != std::string::npos);
  CHECK(db.query_int("SELECT COUNT(*) FROM filler") == 0);
}
