#include "rate_limit_filter.h"

#include "filter_pool.h"

#include <vector>

#include "envoy_callbacks.h"

namespace cbaseline {

namespace {

size_t format_number(char* buf, uint64_t v) noexcept {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  return n;
}

envoy_dynamic_module_type_module_buffer buffer(const std::string& s) noexcept { return {s.data(), s.size()}; }

class RateLimitFilter final : public StreamFilter {
 public:
  void reset(RateLimitConfig* config) noexcept {
    config_ = config;
    add_quota_headers_ = false;
  }

  envoy_dynamic_module_type_on_http_filter_request_headers_status on_request_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr fe) noexcept override {
    Policy* policy = &config_->policy();
    if (auto* route = static_cast<const RateLimitRouteConfig*>(envoy.route_config(fe))) {
      if (route->policy == nullptr) return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
      policy = route->policy.get();
    }
    const size_t n = policy->rules().size();
    if (n == 0) return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
    RuleResult results[kMaxRules];
    const Decision d = policy->decide(fe, results);
    record_metrics(fe, *policy, results, n);
    if (d.limited) {
      send_limited(fe, *policy, d);
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
    }
    if (d.has_quota && policy->response().rate_limit_headers) {
      add_quota_headers_ = true;
      limit_ = d.limit;
      remaining_ = d.remaining;
      reset_seconds_ = d.reset_seconds;
    }
    return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  }

  envoy_dynamic_module_type_on_http_filter_response_headers_status on_response_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr fe) noexcept override {
    if (add_quota_headers_) {
      char number[24];
      constexpr auto kResponse = envoy_dynamic_module_type_http_header_type_ResponseHeader;
      envoy.set_header(fe, kResponse, {"x-ratelimit-limit", 17}, {number, format_number(number, limit_)});
      envoy.set_header(fe, kResponse, {"x-ratelimit-remaining", 21}, {number, format_number(number, remaining_)});
      envoy.set_header(fe, kResponse, {"x-ratelimit-reset", 17},
                       {number, format_number(number, static_cast<uint64_t>(reset_seconds_))});
    }
    return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;
  }

  void release() noexcept override;

 private:
  void record_metrics(envoy_dynamic_module_type_http_filter_envoy_ptr fe, const Policy& policy,
                      const RuleResult* results, size_t n) noexcept {
    for (size_t i = 0; i < n; ++i) {
      if (results[i].outcome == RuleOutcome::NotCounted) continue;
      const Rule& rule = *policy.rules()[i];
      const size_t counter = results[i].outcome == RuleOutcome::Allowed   ? config_->allowed_counter
                             : results[i].outcome == RuleOutcome::Limited ? config_->limited_counter
                                                                          : config_->shadow_limited_counter;
      envoy_dynamic_module_type_module_buffer labels[2] = {buffer(policy.name()), buffer(rule.name)};
      envoy.increment_counter(fe, counter, labels, 2, 1);
      if (results[i].evicted) envoy.increment_counter(fe, config_->evictions_counter, labels, 2, 1);
    }
  }

  static void send_limited(envoy_dynamic_module_type_http_filter_envoy_ptr fe, const Policy& policy,
                           const Decision& d) noexcept {
    const LimitedResponse& response = policy.response();
    envoy_dynamic_module_type_module_http_header headers[16 + 5];
    char numbers[4][24];
    size_t n = 0;
    headers[n++] = {"x-envoy-ratelimited", 19, "true", 4};
    for (const auto& [name, value] : response.headers) {
      headers[n++] = {name.data(), name.size(), value.data(), value.size()};
    }
    if (response.rate_limit_headers) {
      headers[n++] = {"x-ratelimit-limit", 17, numbers[0], format_number(numbers[0], d.limit)};
      headers[n++] = {"x-ratelimit-remaining", 21, numbers[1], format_number(numbers[1], d.remaining)};
      headers[n++] = {"x-ratelimit-reset", 17, numbers[2],
                      format_number(numbers[2], static_cast<uint64_t>(d.reset_seconds))};
    }
    if (response.retry_after) {
      headers[n++] = {"retry-after", 11, numbers[3], format_number(numbers[3], static_cast<uint64_t>(d.reset_seconds))};
    }
    envoy.send_response(fe, response.status, headers, n, buffer(response.body), {"rate_limited", 12});
  }

  RateLimitConfig* config_ = nullptr;
  bool add_quota_headers_ = false;
  uint32_t limit_ = 0;
  uint32_t remaining_ = 0;
  int64_t reset_seconds_ = 0;
};

thread_local FilterPool<RateLimitFilter> pool;

void RateLimitFilter::release() noexcept { pool.release(this); }

}  // namespace

RateLimitConfig::RateLimitConfig(envoy_dynamic_module_type_http_filter_config_envoy_ptr envoy_config,
                                 const std::string& json) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError{std::string("(document): invalid JSON: ") + e.what()};
  }
  policy_ = Policy::parse(doc);
  envoy_dynamic_module_type_module_buffer labels[2] = {{"policy", 6}, {"rule", 4}};
  envoy.define_counter(envoy_config, {"rate_limit_allowed", 18}, labels, 2, &allowed_counter);
  envoy.define_counter(envoy_config, {"rate_limit_limited", 18}, labels, 2, &limited_counter);
  envoy.define_counter(envoy_config, {"rate_limit_shadow_limited", 25}, labels, 2, &shadow_limited_counter);
  envoy.define_counter(envoy_config, {"rate_limit_distinct_evictions", 29}, labels, 2, &evictions_counter);
}

std::unique_ptr<RateLimitRouteConfig> RateLimitConfig::parse_route(const std::string& json) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError{std::string("(document): invalid JSON: ") + e.what()};
  }
  auto route = std::make_unique<RateLimitRouteConfig>();
  if (doc.is_object() && doc.contains("disabled")) {
    if (doc.size() != 1 || !doc["disabled"].is_boolean() || !doc["disabled"].get<bool>()) {
      throw ConfigError{"disabled: must be true and the only field"};
    }
    return route;
  }
  route->policy = Policy::parse(doc);
  return route;
}

StreamFilter* RateLimitConfig::new_filter() noexcept {
  RateLimitFilter* f = pool.acquire();
  if (f == nullptr) return nullptr;
  f->reset(this);
  return f;
}

}  // namespace cbaseline
