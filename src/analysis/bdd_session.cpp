#include "analysis/bdd_session.hpp"

#include <bdd.h>

#include <cstdio>
#include <cstdlib>

namespace kneetriage::detail {
namespace {

// Nodes BuDDy starts with and its operation cache; it grows the table as needed. A million nodes
// (20 MB) hold the models of rules files with a hundred questions without a resize.
constexpr int k_initial_nodes = 1'000'000;
constexpr int k_cache_size = 100'000;

// BuDDy reports its own errors (out of memory, a bad variable) by calling this; it has no way to
// unwind, so the program stops with the message rather than carrying on with a wrong model.
void fatal(int code) {
  std::fprintf(stderr, "kneetriage: BDD error: %s\n", bdd_errstring(code));
  std::abort();
}

}  // namespace

BddSession::BddSession() {
  bdd_init(k_initial_nodes, k_cache_size);
  (void)bdd_error_hook(fatal);
  (void)bdd_gbc_hook(nullptr);  // BuDDy prints each garbage collection to stdout otherwise
  (void)bdd_setmaxincrease(k_initial_nodes);
  (void)bdd_setvarnum(1);
}

// Never called: the session is never destroyed (see acquire).
std::shared_ptr<BddSession> BddSession::acquire() {
  // Made once and never destroyed: models kept in function-local caches may be destroyed after
  // any other static at exit, and their bdds must find BuDDy running then.
  static auto* const session = new BddSession();
  return {session, [](BddSession*) {}};
}

void BddSession::ensure_variables(int count) {
  if (bdd_varnum() < count) (void)bdd_extvarnum(count - bdd_varnum());
}

}  // namespace kneetriage::detail
