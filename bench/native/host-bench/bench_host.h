// One ABI host process holding every benchmarked chain at once: the C baseline module and the C#
// module are loaded once, each configuration's filter configs are created once, and a measurement
// is a burst of full streams through one chain on its workers. Alternating chains inside one
// process keeps process start-up, page faults and loader work out of the figures.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "configurations.h"
#include "host.h"

namespace envoyext::bench {

// Where a module lives and what it is called (lib<name>.so in dir).
struct ModuleLocation {
  std::string dir;
  std::string name;
};

// One chain to measure: the empty chain, the C filter or the C# filter of a configuration.
struct Chain {
  std::vector<std::shared_ptr<host::FilterConfig>> filters;
  std::vector<std::shared_ptr<const host::RequestSpec>> requests;  // cycled through
  uint32_t workers = 1;
  // The C# module has the allocation probe: the runtime's allocated bytes are read around every
  // burst of every chain (also chains that run no C# code: what they see is background work).
  bool counts_managed_bytes = false;
  bool records_latency = false;  // per-request wall latency (p50/p99) and requests/s
};

struct Measurement {
  double ns_per_request = 0;       // worker-thread CPU time per full stream
  double wall_ns_per_request = 0;  // elapsed time per request over the burst
  uint64_t requests = 0;
  uint64_t managed_bytes = 0;  // allocated by the C# runtime during the burst (0 when not counted)
  uint64_t waited = 0;         // streams a filter stopped that completed on a later event
  uint64_t timed_out = 0;      // streams reset because they did not complete in time
  // With Chain::records_latency: all workers' requests over the burst's wall time, and the
  // per-request latency (stream start to completion) percentiles over all workers' requests.
  double requests_per_second = 0;
  double p50_ns = 0, p99_ns = 0;
};

class BenchHost {
 public:
  explicit BenchHost(uint32_t workers);

  // Loads a module found as Envoy finds it (ENVOY_DYNAMIC_MODULES_SEARCH_PATH = location.dir).
  // Throws std::runtime_error with the loader's message.
  void load(const ModuleLocation& location);
  bool has_allocated_bytes_export() const { return allocated_bytes_ != nullptr; }

  // The three chains of one configuration; a per-route config goes on a route of each module's own
  // (the host keys per-route configs by filter_name, as a route's typed_per_filter_config does).
  // Throws std::runtime_error naming the configuration when a module rejects its config.
  Chain empty_chain(const Configuration& c, const std::string& path);
  Chain filter_chain(const Configuration& c, const ModuleLocation& module, const std::string& route_prefix);

  Measurement measure(const Chain& chain, uint64_t requests);

  // Pins worker i to the i-th CPU this process may run on, when there are enough of them.
  // Returns the CPUs used, or an empty list (workers run unpinned).
  std::vector<int> pin_workers();

 private:
  std::vector<std::shared_ptr<const host::RequestSpec>> requests_for(const Configuration& c,
                                                                     const std::string& path) const;

  host::Host host_;
  uint64_t (*allocated_bytes_)() = nullptr;
};

}  // namespace envoyext::bench
