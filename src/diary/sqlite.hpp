// A small RAII layer over SQLite's C API: a connection, a prepared statement and a transaction
// that rolls back unless committed. Failures are thrown as DiaryError with SQLite's message.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kneetriage/diary.hpp"

namespace kneetriage::sqlite {

// The kind of DiaryError an SQLite result code means.
[[nodiscard]] DiaryError::Kind error_kind(int code, bool writing);

class Connection {
 public:
  // Opens without creating; `writable` false opens read-only.
  Connection(const std::string& path, bool writable);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  [[nodiscard]] sqlite3* get() const { return db_; }
  // Runs statements that return no rows.
  void exec(const char* sql);
  [[nodiscard]] bool read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }
  // Throws a DiaryError for `code`, naming what was being done.
  [[noreturn]] void fail(int code, std::string_view doing) const;

  bool writing = false;  // whether failures are reported as cannot_write

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(Connection& connection, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1, as in SQLite.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t number);
  Statement& bind(int index, double number);
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  Statement& bind(int index, int number) { return bind(index, std::int64_t{number}); }

  // True while there is a row to read; false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] double real(int column) const;

 private:
  Connection& connection_;
  sqlite3_stmt* statement_ = nullptr;
};

// BEGIN IMMEDIATE: takes the write lock at once (waiting up to the busy timeout), so that two
// writers queue instead of one failing halfway. Rolled back unless commit() is reached.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace kneetriage::sqlite
