// The one BuDDy session of the process. BuDDy keeps its node table in global state (bdd_init once,
// not thread safe): the first model to need it starts it, it lasts as long as the process (BuDDy
// cannot be started again once stopped: bdd_done frees a table it does not clear), and a mutex
// keeps two threads from building or querying models at once.
#pragma once

#include <memory>
#include <mutex>

namespace kneetriage::detail {

class BddSession {
 public:
  // The session, started on first use. Models hold the pointer as long as any of their bdds lives.
  [[nodiscard]] static std::shared_ptr<BddSession> acquire();

  // Makes sure variables 0 .. count-1 exist. Models share them: each gives them its own meaning
  // and never mixes its BDDs with another's. Callers hold lock() while they use the session.
  void ensure_variables(int count);
  [[nodiscard]] std::mutex& lock() { return mutex_; }

  BddSession(const BddSession&) = delete;
  BddSession& operator=(const BddSession&) = delete;
  ~BddSession() = default;

 private:
  BddSession();
  std::mutex mutex_;
};

}  // namespace kneetriage::detail
