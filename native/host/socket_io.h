// Blocking-style socket steps for the host's callout clients, each bounded by a deadline and
// checked against a cancellation flag in short slices so that shutdown is noticed promptly.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace envoyext::host {

using SteadyClock = std::chrono::steady_clock;

// Waits for `events` on `fd`; false on timeout, cancellation or error.
bool wait_fd(int fd, short events, SteadyClock::time_point deadline, const std::atomic<bool>& cancelled);

// Non-blocking connect to "host:port"; the socket (non-blocking), or -1 on failure or cancellation.
int connect_with_deadline(const std::string& address, SteadyClock::time_point deadline,
                          const std::atomic<bool>& cancelled);

// Writes every byte of `bytes`; false on timeout, cancellation or a socket error.
bool write_all(int fd, const char* bytes, size_t size, SteadyClock::time_point deadline,
               const std::atomic<bool>& cancelled);

// An eventfd the worker writes to wake an exchange thread polling its socket (new request frames,
// cancellation); the exchange thread polls fd() beside the socket and drains it when it fires.
class WakeSignal {
 public:
  WakeSignal();
  ~WakeSignal();
  WakeSignal(const WakeSignal&) = delete;
  WakeSignal& operator=(const WakeSignal&) = delete;
  int fd() const { return fd_; }
  void notify();
  void drain();

 private:
  int fd_ = -1;
};

// Milliseconds to poll for before `deadline`, at most 50 so cancellation is noticed promptly.
int poll_slice_ms(SteadyClock::time_point deadline);

}  // namespace envoyext::host
