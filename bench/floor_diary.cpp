// The floor for the diary commands: a C++ program that opens the same diary file with SQLite and
// runs one query (the latest entry), linked like kneetriage. Its time is the cost of starting a
// process, opening the database and reading it once; `log` and `progress` are measured against it.
//   floor_diary diary.sqlite
#include <sqlite3.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: floor_diary DIARY\n");
    return 64;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 66;
  sqlite3_stmt* query = nullptr;
  sqlite3_prepare_v2(db, "SELECT day, pain_after FROM entry ORDER BY day DESC LIMIT 1", -1, &query,
                     nullptr);
  if (sqlite3_step(query) == SQLITE_ROW)
    std::printf("%s %d\n", reinterpret_cast<const char*>(sqlite3_column_text(query, 0)),
                sqlite3_column_int(query, 1));
  sqlite3_finalize(query);
  sqlite3_close(db);
  return 0;
}
