// Per-worker pool of a filter's stream objects (streams start and end on their worker), as the C# SDK
// pools its filter objects: a stream allocates nothing in steady state.
#ifndef ENVOYEXT_BASELINE_FILTER_POOL_H
#define ENVOYEXT_BASELINE_FILTER_POOL_H

#include <new>
#include <vector>

namespace cbaseline {

template <typename Filter>
struct FilterPool {
  ~FilterPool() {
    for (Filter* f : free) delete f;
  }
  // An idle object, or a new one; nullptr when out of memory.
  Filter* acquire() noexcept {
    if (free.empty()) return new (std::nothrow) Filter();
    Filter* f = free.back();
    free.pop_back();
    return f;
  }
  void release(Filter* f) noexcept { free.push_back(f); }

  std::vector<Filter*> free;
};

}  // namespace cbaseline

#endif
