#include "rate_limit_policy.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "envoy_callbacks.h"
#include "filter.h"

namespace cbaseline {

namespace {
using nlohmann::json;

[[noreturn]] void fail(const std::string& field, const std::string& why) { throw ConfigError{field + ": " + why}; }

void only_fields(const json& j, const std::string& path, std::initializer_list<const char*> known) {
  if (!j.is_object()) fail(path.empty() ? "(document)" : path, "expected an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok |= it.key() == k;
    if (!ok) fail(path.empty() ? it.key() : path + "." + it.key(), "unknown field");
  }
}

std::string string_field(const json& j, const std::string& path, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) fail(path + "." + key, "required");
    return {};
  }
  if (!it->is_string()) fail(path + "." + key, "expected a string");
  return it->get<std::string>();
}

bool bool_field(const json& j, const std::string& path, const char* key, bool fallback) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_boolean()) fail(path + "." + key, "expected true or false");
  return it->get<bool>();
}

int64_t int_field(const json& j, const std::string& path, const char* key, int64_t fallback, int64_t min, int64_t max) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_number_integer()) fail(path + "." + key, "expected an integer");
  int64_t v = it->get<int64_t>();
  if (v < min || v > max) {
    fail(path + "." + key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return v;
}

const json& array_field(const json& j, const std::string& path, const char* key, size_t max) {
  static const json empty = json::array();
  auto it = j.find(key);
  if (it == j.end()) return empty;
  if (!it->is_array()) fail(path + "." + key, "expected an array");
  if (it->size() > max) fail(path + "." + key, "at most " + std::to_string(max) + " entries");
  return *it;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::unique_ptr<re2::RE2> full_match_regex(const std::string& pattern, const std::string& field) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(pattern, options);
  if (!re->ok()) fail(field, "invalid regular expression: " + re->error());
  return re;
}

ValueMatch value_match(const std::string& type, const std::string& field) {
  if (type == "Exact") return ValueMatch::Exact;
  if (type == "RegularExpression") return ValueMatch::RegularExpression;
  if (type == "Distinct") return ValueMatch::Distinct;
  fail(field, "expected Exact, RegularExpression or Distinct");
}

Selector parse_selector(const json& j, const std::string& path, uint8_t index) {
  only_fields(j, path, {"headers", "methods", "path", "sourceCIDR", "queryParams"});
  if (j.contains("sourceCIDR")) fail(path + ".sourceCIDR", "not supported by the C baseline");
  if (j.contains("queryParams")) fail(path + ".queryParams", "not supported by the C baseline");
  Selector s;
  s.index = index;
  const json& headers = array_field(j, path, "headers", 16);
  for (size_t i = 0; i < headers.size(); ++i) {
    const std::string at = path + ".headers[" + std::to_string(i) + "]";
    only_fields(headers[i], at, {"name", "type", "value", "invert"});
    HeaderCondition h;
    h.name = lower(string_field(headers[i], at, "name", true));
    h.type = value_match(
        string_field(headers[i], at, "type", false).empty() ? "Exact" : string_field(headers[i], at, "type", false),
        at + ".type");
    h.value = string_field(headers[i], at, "value", h.type != ValueMatch::Distinct);
    h.invert = bool_field(headers[i], at, "invert", false);
    if (h.type == ValueMatch::RegularExpression) h.regex = full_match_regex(h.value, at + ".value");
    s.has_distinct |= h.type == ValueMatch::Distinct;
    s.headers.push_back(std::move(h));
  }
  const json& methods = array_field(j, path, "methods", 9);
  for (size_t i = 0; i < methods.size(); ++i) {
    const std::string at = path + ".methods[" + std::to_string(i) + "]";
    only_fields(methods[i], at, {"value", "invert"});
    s.methods.push_back({string_field(methods[i], at, "value", true), bool_field(methods[i], at, "invert", false)});
  }
  if (auto p = j.find("path"); p != j.end()) {
    const std::string at = path + ".path";
    only_fields(*p, at, {"type", "value", "invert"});
    PathCondition c;
    const std::string type = string_field(*p, at, "type", false);
    if (type.empty() || type == "PathPrefix") {
      c.type = PathMatch::PathPrefix;
    } else if (type == "Exact") {
      c.type = PathMatch::Exact;
    } else if (type == "RegularExpression") {
      c.type = PathMatch::RegularExpression;
    } else {
      fail(at + ".type", "expected Exact, PathPrefix or RegularExpression");
    }
    c.value = string_field(*p, at, "value", true);
    c.invert = bool_field(*p, at, "invert", false);
    if (c.type == PathMatch::PathPrefix && c.value.size() > 1 && c.value.back() == '/') c.value.pop_back();
    if (c.type == PathMatch::RegularExpression) c.regex = full_match_regex(c.value, at + ".value");
    s.path = std::move(c);
  }
  return s;
}

int64_t unit_seconds(const std::string& unit, const std::string& field) {
  if (unit == "Second") return 1;
  if (unit == "Minute") return 60;
  if (unit == "Hour") return 3600;
  if (unit == "Day") return 86400;
  fail(field, "expected Second, Minute, Hour or Day");
}

// ---- per request

// The Distinct key of one selector: the selector index, then each value length-prefixed (varint).
class KeyBuilder {
 public:
  void reset() noexcept {
    length_ = 0;
    spill_.clear();
  }
  void append_byte(uint8_t b) noexcept { append(reinterpret_cast<const char*>(&b), 1); }
  void append_value(const char* p, size_t n) noexcept {
    char prefix[5];
    size_t k = 0;
    size_t v = n;
    while (v >= 0x80) {
      prefix[k++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    prefix[k++] = static_cast<char>(v);
    append(prefix, k);
    append(p, n);
  }
  std::string_view key() const noexcept {
    return spill_.empty() ? std::string_view(stack_, length_) : std::string_view(spill_);
  }
  bool empty() const noexcept { return length_ == 0 && spill_.empty(); }

 private:
  void append(const char* p, size_t n) noexcept {
    if (spill_.empty() && length_ + n <= sizeof stack_) {
      std::memcpy(stack_ + length_, p, n);
      length_ += n;
      return;
    }
    if (spill_.empty()) spill_.assign(stack_, length_);
    spill_.append(p, n);
  }
  char stack_[kKeyStackBytes];
  size_t length_ = 0;
  std::string spill_;
};

bool get_request_header(envoy_dynamic_module_type_http_filter_envoy_ptr fe, const std::string& name, size_t index,
                        std::string_view& out) noexcept {
  envoy_dynamic_module_type_envoy_buffer value{nullptr, 0};
  if (!envoy.get_header(fe, envoy_dynamic_module_type_http_header_type_RequestHeader, {name.data(), name.size()},
                        &value, index, nullptr) ||
      value.ptr == nullptr) {
    return false;
  }
  out = std::string_view(value.ptr, value.length);
  return true;
}

struct RequestView {
  envoy_dynamic_module_type_http_filter_envoy_ptr fe;
  std::string_view method;
  std::string_view path_and_query;
};

bool header_matches(const RequestView& req, const HeaderCondition& h, KeyBuilder& key) noexcept {
  std::string_view v;
  if (h.type == ValueMatch::Distinct) {
    if (!get_request_header(req.fe, h.name, 0, v)) return false;
    key.append_value(v.data(), v.size());
    return true;
  }
  bool any = false;
  for (size_t i = 0; get_request_header(req.fe, h.name, i, v); ++i) {
    any = h.regex ? re2::RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *h.regex) : v == h.value;
    if (any) break;
  }
  return any != h.invert;
}

bool path_matches(std::string_view path_and_query, const PathCondition& c) noexcept {
  std::string_view path = path_and_query.substr(0, path_and_query.find_first_of("?#"));
  bool matched;
  switch (c.type) {
    case PathMatch::Exact:
      matched = path == c.value;
      break;
    case PathMatch::PathPrefix:
      matched = path.compare(0, c.value.size(), c.value) == 0 && path.size() >= c.value.size() &&
                (path.size() == c.value.size() || c.value.back() == '/' || path[c.value.size()] == '/');
      break;
    default:
      matched = re2::RE2::FullMatch(re2::StringPiece(path.data(), path.size()), *c.regex);
  }
  return matched != c.invert;
}

bool selector_matches(const RequestView& req, const Selector& s, KeyBuilder& key) noexcept {
  key.reset();
  if (s.has_distinct) key.append_byte(s.index);
  if (!s.methods.empty()) {
    bool any = false;
    for (const auto& m : s.methods) any |= (req.method == m.value) != m.invert;
    if (!any) return false;
  }
  if (s.path && !path_matches(req.path_and_query, *s.path)) return false;
  for (const auto& h : s.headers) {
    if (!header_matches(req, h, key)) return false;
  }
  return true;
}

bool rule_applies(const RequestView& req, const Rule& rule, KeyBuilder& key) noexcept {
  key.reset();
  if (rule.selectors.empty()) return true;
  for (const auto& s : rule.selectors) {
    if (selector_matches(req, s, key)) return true;
  }
  key.reset();
  return false;
}

int64_t to_seconds(int64_t ticks) noexcept {
  return std::max<int64_t>(1, (ticks + kTicksPerSecond - 1) / kTicksPerSecond);
}

}  // namespace

std::unique_ptr<Policy> Policy::parse(const json& doc) {
  only_fields(doc, "", {"name", "rules", "maxDistinctBuckets", "response"});
  auto p = std::make_unique<Policy>();
  if (doc.contains("name")) p->name_ = string_field(doc, "", "name", true);
  const int64_t max_distinct = int_field(doc, "", "maxDistinctBuckets", 10000, 1, 1000000);
  const json& rules = array_field(doc, "", "rules", kMaxRules);
  const int64_t now = now_ticks();
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string at = "rules[" + std::to_string(i) + "]";
    only_fields(rules[i], at, {"name", "clientSelectors", "limit", "cost", "shadowMode"});
    auto limit = rules[i].find("limit");
    if (limit == rules[i].end()) fail(at + ".limit", "required");
    only_fields(*limit, at + ".limit", {"requests", "unit"});
    const int64_t requests = int_field(*limit, at + ".limit", "requests", -1, 1, kMaxRequests);
    if (requests < 0) fail(at + ".limit.requests", "required");
    const int64_t unit = unit_seconds(string_field(*limit, at + ".limit", "unit", true), at + ".limit.unit");
    auto rule = std::make_unique<Rule>(static_cast<uint32_t>(requests), unit * kTicksPerSecond, now);
    rule->name = rules[i].contains("name") ? string_field(rules[i], at, "name", true) : "rule-" + std::to_string(i);
    rule->requests = static_cast<uint32_t>(requests);
    rule->unit_seconds = unit;
    rule->cost = static_cast<uint32_t>(int_field(rules[i], at, "cost", 1, 0, requests));
    rule->shadow_mode = bool_field(rules[i], at, "shadowMode", false);
    const json& selectors = array_field(rules[i], at, "clientSelectors", kMaxSelectors);
    for (size_t s = 0; s < selectors.size(); ++s) {
      rule->selectors.push_back(
          parse_selector(selectors[s], at + ".clientSelectors[" + std::to_string(s) + "]", static_cast<uint8_t>(s)));
      const Selector& sel = rule->selectors.back();
      p->reads_method_ |= !sel.methods.empty();
      p->reads_path_ |= sel.path.has_value();
    }
    for (const auto& prev : p->rules_) {
      if (prev->name == rule->name) fail(at + ".name", "duplicate rule name '" + rule->name + "'");
    }
    bool distinct = false;
    for (const auto& s : rule->selectors) distinct |= s.has_distinct;
    if (distinct) {
      rule->distinct =
          std::make_unique<DistinctTable>(static_cast<size_t>(max_distinct), rule->requests, unit * kTicksPerSecond);
    }
    p->rules_.push_back(std::move(rule));
  }
  std::stable_sort(p->rules_.begin(), p->rules_.end(), [](const auto& a, const auto& b) {
    return static_cast<uint64_t>(a->requests) * static_cast<uint64_t>(b->unit_seconds) <
           static_cast<uint64_t>(b->requests) * static_cast<uint64_t>(a->unit_seconds);
  });
  if (auto r = doc.find("response"); r != doc.end()) {
    only_fields(*r, "response", {"statusCode", "body", "headers", "rateLimitHeaders", "retryAfter"});
    p->response_.status = static_cast<uint32_t>(int_field(*r, "response", "statusCode", 429, 400, 599));
    p->response_.body = string_field(*r, "response", "body", false);
    const json& headers = array_field(*r, "response", "headers", 16);
    for (size_t i = 0; i < headers.size(); ++i) {
      const std::string at = "response.headers[" + std::to_string(i) + "]";
      only_fields(headers[i], at, {"name", "value"});
      p->response_.headers.emplace_back(lower(string_field(headers[i], at, "name", true)),
                                        string_field(headers[i], at, "value", true));
    }
    p->response_.rate_limit_headers = bool_field(*r, "response", "rateLimitHeaders", true);
    p->response_.retry_after = bool_field(*r, "response", "retryAfter", true);
  }
  return p;
}

Decision Policy::decide(envoy_dynamic_module_type_http_filter_envoy_ptr fe, RuleResult* results) noexcept {
  RequestView req{fe, {}, {}};
  static const std::string method_name = ":method", path_name = ":path";
  if (reads_method_) get_request_header(fe, method_name, 0, req.method);
  if (reads_path_) get_request_header(fe, path_name, 0, req.path_and_query);
  KeyBuilder key;
  int64_t now = INT64_MIN;  // read lazily: requests that match no rule never pay for the clock
  bool have_quota = false;
  Charge quota{};
  const Rule* quota_rule = nullptr;
  for (size_t i = 0; i < rules_.size(); ++i) {
    Rule& rule = *rules_[i];
    results[i] = {RuleOutcome::NotCounted, false};
    if (!rule_applies(req, rule, key)) continue;
    if (now == INT64_MIN) now = now_ticks();
    TokenBucket& bucket =
        key.empty() ? rule.shared_bucket : rule.distinct->get_or_add(key.key(), now, results[i].evicted);
    const Charge charge = bucket.try_charge(rule.cost, now);
    if (rule.shadow_mode) {
      results[i].outcome = charge.allowed ? RuleOutcome::Allowed : RuleOutcome::ShadowLimited;
      continue;
    }
    if (!charge.allowed) {
      results[i].outcome = RuleOutcome::Limited;
      for (size_t j = i + 1; j < rules_.size(); ++j) results[j] = {RuleOutcome::NotCounted, false};
      return {true, true, rule.requests, charge.remaining, to_seconds(charge.ticks_until_reset)};
    }
    results[i].outcome = RuleOutcome::Allowed;
    if (!have_quota || charge.remaining < quota.remaining) {
      have_quota = true;
      quota = charge;
      quota_rule = &rule;
    }
  }
  if (!have_quota) return {};
  return {false, true, quota_rule->requests, quota.remaining, to_seconds(quota.ticks_until_reset)};
}

}  // namespace cbaseline
