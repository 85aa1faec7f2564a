// HTTP callouts to named clusters: each callout is a blocking HTTP/1.1 exchange with a loopback
// endpoint on its own short-lived thread; the outcome is posted back to the stream's worker (or the
// main loop for config-level callouts), where the done hook runs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>

#include "request_types.h"

namespace envoyext::host {

struct CalloutResponse {
  bool ok = false;     // false: connect/read failure or timeout (Envoy reports Reset)
  HeaderList headers;  // ":status" first, then the response headers lower-cased
  std::string body;
};

// One blocking HTTP/1.1 request. `address` is "host:port". Never throws.
CalloutResponse http11_exchange(const std::string& address, const HeaderList& headers, const std::string& body,
                                uint64_t timeout_ms, const std::atomic<bool>& cancelled);

// Non-blocking connect to "host:port" bounded by `deadline`; -1 on failure or cancellation.
int connect_with_deadline(const std::string& address, std::chrono::steady_clock::time_point deadline,
                          const std::atomic<bool>& cancelled);
// Waits for `events` on `fd` in short slices; false on timeout, cancellation or error.
bool wait_fd(int fd, short events, std::chrono::steady_clock::time_point deadline, const std::atomic<bool>& cancelled);

class CalloutRunner {
 public:
  ~CalloutRunner();
  void start(std::string address, HeaderList headers, std::string body, uint64_t timeout_ms,
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
