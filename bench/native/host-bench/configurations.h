// The benchmark's configurations, read from a JSON file (bench/host-bench.json): each names a
// filter, its listener-level config, optionally a per-route config, the request's extra headers and
// how many workers run it, the clusters its callouts reach, and what the C# filter is compared with:
// the C baseline module given the same filter_name and config, (for a filter without a C
// counterpart) the C# passthrough filter, another C# configuration (a Global rate-limit rule against
// the same rule Local), or another C baseline filter (ext_auth against the bare callout).
// Adding a configuration is adding an entry.
#pragma once

#include <cstdint>
#include <optional>
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
// CSharp: another configuration of the C# module (baseline_filter, baseline_config), e.g. the same
// rule Local, so a variant of a filter is measured against its twin in the same rounds.
// CTwin: another filter of the C baseline module (baseline_filter, baseline_config), for a C# filter
// compared with the least work its job takes, e.g. ext_auth against one bare HTTP callout.
enum class Baseline { C, Passthrough, CSharp, CTwin };

// Written in a config where the Redis address goes ("addresses": ["{{redis}}"]); bench/host-bench.sh
// starts a redis-server and passes its address (--redis), and a configuration that holds the
// placeholder is skipped when there is none.
inline constexpr const char* kRedisPlaceholder = "{{redis}}";
// Written where the benchmark's own authorization service goes (a cluster's "host:port"): the
// harness starts one (auth_server.h) when a configuration holds the placeholder, over HTTP/1.1 for
// {{auth_http}} and over gRPC for {{auth_grpc}} (written "h2c://{{auth_grpc}}", as the host's
// HTTP/2 clusters are).
inline constexpr const char* kAuthHttpPlaceholder = "{{auth_http}}";
inline constexpr const char* kAuthGrpcPlaceholder = "{{auth_grpc}}";

struct Configuration {
  std::string name;
  Baseline baseline = Baseline::C;
  std::string filter;
  std::string config;        // the filter_config bytes
  std::string route_config;  // per-route filter_config bytes; empty = no per-route config
  // static generic secrets (name, value) the host holds before the filter config is created
  std::vector<std::pair<std::string, std::string>> secrets;
  // clusters (name, "host:port" or the host's other forms) the filters' callouts reach
  std::vector<std::pair<std::string, std::string>> clusters;
  host::HeaderList request_headers;
  std::string distinct_header;  // with distinct_values > 0: cycles the header through that many values
  uint32_t distinct_values = 0;
  uint32_t workers = 1;
  uint64_t requests = 0;  // full streams per chain and round; 0 = the run's --requests
  // Baseline::CSharp and CTwin only: the twin's filter_name and config, and how the table names it.
  std::string baseline_filter;
  std::string baseline_config;
  std::string baseline_name;
  bool needs_redis = false;      // a config held kRedisPlaceholder
  bool needs_auth_http = false;  // a cluster held kAuthHttpPlaceholder
  bool needs_auth_grpc = false;  // a cluster held kAuthGrpcPlaceholder
};

// Replaces every `placeholder` in `text` with `address` (when there is one); true when there was one.
bool substitute(std::string& text, const std::string& placeholder, const std::optional<std::string>& address);

// Throws ConfigurationError naming the field. With `redis_address`, kRedisPlaceholder in any config
// is replaced by it; without, such configurations are returned with needs_redis set and the
// placeholder left in place (the caller skips them). `auth_http_address` and `auth_grpc_address` do
// the same for kAuthHttpPlaceholder and kAuthGrpcPlaceholder in cluster addresses (needs_auth_http,
// needs_auth_grpc).
std::vector<Configuration> load_configurations(const std::string& path,
                                               const std::optional<std::string>& redis_address = std::nullopt,
                                               const std::optional<std::string>& auth_http_address = std::nullopt,
                                               const std::optional<std::string>& auth_grpc_address = std::nullopt);

}  // namespace envoyext::bench
