// The rate_limit policy compiled from the filter's JSON (docs/filters/rate-limit.md), the same
// document the C# filter takes. Parsing runs at config time (nlohmann-json); deciding runs per
// request and touches only the compiled structures, the buckets and Envoy's header map.
// Supported selectors: headers (Exact, RegularExpression via RE2, Distinct), methods and path;
// sourceCIDR and queryParams are rejected with an error naming the field.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "distinct_table.h"
#include "envoyext/abi.h"
#include "token_bucket.h"

namespace cbaseline {

enum class ValueMatch { Exact, RegularExpression, Distinct };
enum class PathMatch { Exact, PathPrefix, RegularExpression };

struct HeaderCondition {
  std::string name;  // lower case
  ValueMatch type = ValueMatch::Exact;
  std::string value;
  std::unique_ptr<re2::RE2> regex;
  bool invert = false;
};

struct PathCondition {
  PathMatch type = PathMatch::Exact;
  std::string value;
  std::unique_ptr<re2::RE2> regex;
  bool invert = false;
};

struct MethodCondition {
  std::string value;
  bool invert = false;
};

struct Selector {
  uint8_t index = 0;
  std::vector<MethodCondition> methods;
  std::optional<PathCondition> path;
  std::vector<HeaderCondition> headers;
  bool has_distinct = false;
};

struct Rule {
  Rule(uint32_t requests, int64_t window_ticks, int64_t now) : shared_bucket(requests, window_ticks, now) {}
  std::string name;
  std::vector<Selector> selectors;
  uint32_t requests = 0;
  int64_t unit_seconds = 0;
  uint32_t cost = 1;
  bool shadow_mode = false;
  TokenBucket shared_bucket;
  std::unique_ptr<DistinctTable> distinct;
};

struct LimitedResponse {
  uint32_t status = 429;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  bool rate_limit_headers = true;
  bool retry_after = true;
};

enum class RuleOutcome : uint8_t { NotCounted, Allowed, Limited, ShadowLimited };
struct RuleResult {
  RuleOutcome outcome;
  bool evicted;
};

struct Decision {
  bool limited = false;
  bool has_quota = false;
  uint32_t limit = 0;
  uint32_t remaining = 0;
  int64_t reset_seconds = 0;
};

// Bounds of the contract (the C# validator's): more rules or selectors are rejected.
constexpr size_t kMaxRules = 64;
constexpr size_t kMaxSelectors = 8;
constexpr int64_t kMaxRequests = 0x7fffffff;
constexpr size_t kKeyStackBytes = 256;  // longer Distinct keys spill to the heap

class Policy {
 public:
  // Throws ConfigError naming the field.
  static std::unique_ptr<Policy> parse(const nlohmann::json& doc);

  // Charges every matching rule, strictest first, until one has too few tokens.
  // `results` has one entry per rule, in `rules()` order.
  Decision decide(envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter, RuleResult* results) noexcept;

  const std::string& name() const { return name_; }
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  const LimitedResponse& response() const { return response_; }

 private:
  std::string name_ = "default";
  std::vector<std::unique_ptr<Rule>> rules_;  // strictest first
  LimitedResponse response_;
  bool reads_method_ = false;
  bool reads_path_ = false;
};

}  // namespace cbaseline
