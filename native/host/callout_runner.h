// The threads HTTP callouts run on: each callout is one Exchange (exchange.h) with a loopback
// endpoint on its own short-lived thread; the outcome is posted back to the stream's worker (or the
// main loop for config-level callouts), where the done hook runs. Host shutdown cancels and joins.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>

#include "exchange.h"
#include "request_types.h"

namespace envoyext::host {

struct CalloutResponse {
  bool ok = false;     // false: connect/read failure or timeout (Envoy reports Reset)
  HeaderList headers;  // ":status" first, then the response headers lower-cased
  std::string body;
};

class CalloutRunner {
 public:
  ~CalloutRunner();
  // A one-shot callout: the whole request, then the whole response (or ok = false) to `on_done`,
  // called on the exchange thread unless the host shut down meanwhile.
  void start(Upstream upstream, HeaderList headers, std::string body, uint64_t timeout_ms,
             std::function<void(CalloutResponse&&)> on_done);
  // Runs `job` on its own thread; `job` must return soon after the flag it gets turns true
  // (host shutdown). Streaming callouts use this so shutdown joins them too.
  void run(std::function<void(const std::atomic<bool>& cancelled)> job);
  // Joins every job started so far without cancelling it (tests: "all exchanges are over").
  void wait_all();
  // Cancels pending exchanges and joins their threads.
  void shutdown();

 private:
  void reap();
  std::mutex mutex_;
  struct Job {
    std::thread thread;
    std::atomic<bool> done{false};
  };
  std::list<Job> jobs_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace envoyext::host
