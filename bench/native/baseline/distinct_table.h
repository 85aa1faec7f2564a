// One token bucket per distinct value, at most `max_buckets` of them, evicted by CLOCK (second
// chance), the same LRU approximation and bound as the C# filter's DistinctBucketTable.
// One mutex per table (per rule) guards lookups and inserts: simpler than the C# lock-free read
// path and as cheap for one worker; the contended benchmark configuration uses the shared bucket.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "token_bucket.h"

namespace cbaseline {

class DistinctTable {
 public:
  DistinctTable(size_t max_buckets, uint32_t capacity, int64_t window_ticks);

  // The bucket of `key`, created (window starting now) if new; `evicted` when making room pushed
  // out another value's bucket. Entries are recycled in place, so a returned bucket stays valid.
  TokenBucket& get_or_add(std::string_view key, int64_t now, bool& evicted) noexcept;

 private:
  struct Entry {
    Entry(std::string_view k, uint32_t capacity, int64_t window_ticks, int64_t now)
        : key(k), bucket(capacity, window_ticks, now) {}
    std::string key;
    TokenBucket bucket;
    bool referenced = true;
  };

  std::mutex mutex_;
  std::unordered_map<std::string_view, Entry*> map_;  // views into Entry::key
  std::vector<std::unique_ptr<Entry>> slots_;
  size_t max_buckets_;
  size_t hand_ = 0;
  uint32_t capacity_;
  int64_t window_ticks_;
};

}  // namespace cbaseline
