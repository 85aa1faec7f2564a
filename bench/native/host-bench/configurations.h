// The benchmark's configurations, read from a JSON file (bench/host-bench.json): each names a
// filter, its listener-level config, optionally a per-route config, the request's extra headers and
// how many workers run it. The same filter_name and config go to the C baseline and to the C#
// module, so adding a filter to the benchmark is adding an entry (and its C baseline filter).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "request_types.h"

namespace envoyext::bench {

struct ConfigurationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Configuration {
  std::string name;
  std::string filter;
  std::string config;        // the filter_config bytes
  std::string route_config;  // per-route filter_config bytes; empty = no per-route config
  host::HeaderList request_headers;
  std::string distinct_header;  // with distinct_values > 0: cycles the header through that many values
  uint32_t distinct_values = 0;
  uint32_t workers = 1;
};

// Throws ConfigurationError naming the field.
std::vector<Configuration> load_configurations(const std::string& path);

}  // namespace envoyext::bench
