// The benchmark's configurations, read from a JSON file (bench/host-bench.json): each names a
// filter, its listener-level config, optionally a per-route config, the request's extra headers and
// how many workers run it, and what the C# filter is compared with: the C baseline module given the
// same filter_name and config, or (for a filter without a C counterpart) the C# passthrough filter.
// Adding a configuration is adding an entry.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "request_types.h"

namespace envoyext::bench {

struct ConfigurationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a configuration's C# filter is compared with. C: the C baseline module's filter of the same
// filter_name and config, doing the same work. Passthrough: the C# module's passthrough filter, for
// filters that have no C counterpart (the ratio is then the filter's cost over the SDK's own).
enum class Baseline { C, Passthrough };

struct Configuration {
  std::string name;
  Baseline baseline = Baseline::C;
  std::string filter;
  std::string config;        // the filter_config bytes
  std::string route_config;  // per-route filter_config bytes; empty = no per-route config
  // static generic secrets (name, value) the host holds before the filter config is created
  std::vector<std::pair<std::string, std::string>> secrets;
  host::HeaderList request_headers;
  std::string distinct_header;  // with distinct_values > 0: cycles the header through that many values
  uint32_t distinct_values = 0;
  uint32_t workers = 1;
};

// Throws ConfigurationError naming the field.
std::vector<Configuration> load_configurations(const std::string& path);

}  // namespace envoyext::bench
