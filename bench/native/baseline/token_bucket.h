// The rate_limit contract's fixed-window token bucket (docs/filters/rate-limit.md "Buckets"):
// `capacity` tokens, refilled to full at the start of each window, windows aligned to the bucket's
// creation. The state is one 64-bit word, (window << 32) | tokens used, so a charge is one CAS.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <ctime>

namespace cbaseline {

// Ticks of 100 ns, read from the coarse monotonic clock (millisecond resolution), the clock the C#
// filter reads through Environment.TickCount64.
inline int64_t now_ticks() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return (static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000) * 10000;
}

constexpr int64_t kTicksPerSecond = 10000000;

struct Charge {
  bool allowed;
  uint32_t remaining;
  int64_t ticks_until_reset;
};

class TokenBucket {
 public:
  TokenBucket(uint32_t capacity, int64_t window_ticks, int64_t created_ticks) noexcept
      : created_(created_ticks), window_ticks_(window_ticks), capacity_(capacity) {}

  // Takes `cost` tokens if they are all there; a cost of 0 only checks that one token is left.
  Charge try_charge(uint32_t cost, int64_t now) noexcept {
    const uint32_t needed = std::max<uint32_t>(cost, 1);
    uint64_t state = state_.load(std::memory_order_acquire);
    for (;;) {
      int64_t window = static_cast<int64_t>(state >> 32);
      int64_t consumed = static_cast<int64_t>(state & 0xffffffffu);
      int64_t window_end = created_ + (window + 1) * window_ticks_;
      if (now >= window_end) {
        window = std::max<int64_t>(0, now - created_) / window_ticks_;
        window_end = created_ + (window + 1) * window_ticks_;
        consumed = 0;
      }
      const uint32_t remaining = static_cast<uint32_t>(capacity_ - consumed);
      const int64_t until_reset = window_end - now;
      if (remaining < needed) return {false, remaining, until_reset};
      if (cost == 0) return {true, remaining, until_reset};
      const uint64_t next = (static_cast<uint64_t>(window) << 32) | static_cast<uint64_t>(consumed + cost);
      if (state_.compare_exchange_weak(state, next, std::memory_order_acq_rel, std::memory_order_acquire)) {
        return {true, remaining - cost, until_reset};
      }
    }
  }

  // A recycled Distinct entry starts a fresh bucket for its new key.
  void reset(int64_t created_ticks) noexcept {
    created_ = created_ticks;
    state_.store(0, std::memory_order_release);
  }

 private:
  int64_t created_;
  int64_t window_ticks_;
  uint32_t capacity_;
  std::atomic<uint64_t> state_{0};
};

}  // namespace cbaseline
