#include "distinct_table.h"

namespace cbaseline {

DistinctTable::DistinctTable(size_t max_buckets, uint32_t capacity, int64_t window_ticks)
    : max_buckets_(max_buckets), capacity_(capacity), window_ticks_(window_ticks) {
  map_.reserve(max_buckets);
  slots_.reserve(max_buckets);
}

TokenBucket& DistinctTable::get_or_add(std::string_view key, int64_t now, bool& evicted) noexcept {
  evicted = false;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = map_.find(key);
  if (it != map_.end()) {
    it->second->referenced = true;
    return it->second->bucket;
  }
  if (slots_.size() < max_buckets_) {
    slots_.push_back(std::make_unique<Entry>(key, capacity_, window_ticks_, now));
    Entry* e = slots_.back().get();
    map_.emplace(e->key, e);
    return e->bucket;
  }
  for (;;) {
    Entry* candidate = slots_[hand_].get();
    hand_ = hand_ + 1 == slots_.size() ? 0 : hand_ + 1;
    if (candidate->referenced) {
      candidate->referenced = false;
      continue;
    }
    map_.erase(candidate->key);
    candidate->key.assign(key.data(), key.size());
    candidate->bucket.reset(now);
    candidate->referenced = true;
    map_.emplace(candidate->key, candidate);
    evicted = true;
    return candidate->bucket;
  }
}

}  // namespace cbaseline
