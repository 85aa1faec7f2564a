// rate_limit: the same filter as src/EnvoyExt.Filters.RateLimit, in C++ against the same ABI, for
// the benchmark's baseline. Per request it makes the C# filter's Envoy calls: the per-route config
// lookup, the header reads its selectors need, one counter increment labelled {policy, rule} per
// counted rule, a local reply with the contract's headers when limited, and three x-ratelimit-*
// response headers otherwise.
#pragma once

#include <memory>
#include <string>

#include "filter.h"
#include "rate_limit_policy.h"

namespace cbaseline {

// A per-route document: its own policy, or {"disabled": true} (policy == nullptr).
struct RateLimitRouteConfig {
  std::unique_ptr<Policy> policy;
};

class RateLimitConfig final : public FilterConfig {
 public:
  // Throws ConfigError naming the field.
  RateLimitConfig(envoy_dynamic_module_type_http_filter_config_envoy_ptr envoy_config, const std::string& json);
  static std::unique_ptr<RateLimitRouteConfig> parse_route(const std::string& json);

  StreamFilter* new_filter() noexcept override;

  Policy& policy() { return *policy_; }
  size_t allowed_counter = 0, limited_counter = 0, shadow_limited_counter = 0, evictions_counter = 0;

 private:
  std::unique_ptr<Policy> policy_;
};

}  // namespace cbaseline
