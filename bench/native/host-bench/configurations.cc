#include "configurations.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "scenario.h"

namespace envoyext::bench {

namespace {
using nlohmann::json;

constexpr uint32_t kMaxWorkers = 64;
constexpr uint32_t kMaxDistinctValues = 1000000;
constexpr uint32_t kMaxRequests = 10000000;

std::string required_string(const json& j, const std::string& at, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
    throw ConfigurationError(at + "." + key + ": expected a non-empty string");
  }
  return it->get<std::string>();
}

uint32_t bounded_uint(const json& j, const std::string& at, const char* key, uint32_t fallback, uint32_t min,
                      uint32_t max) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_number_unsigned() || it->get<uint64_t>() < min || it->get<uint64_t>() > max) {
    throw ConfigurationError(at + "." + key + ": expected an integer between " + std::to_string(min) + " and " +
                             std::to_string(max));
  }
  return static_cast<uint32_t>(it->get<uint64_t>());
}

}  // namespace

bool substitute(std::string& text, const std::string& placeholder, const std::optional<std::string>& address) {
  bool found = false;
  for (size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at)) {
    found = true;
    if (!address) {
      at += placeholder.size();
      continue;
    }
    text.replace(at, placeholder.size(), *address);
    at += address->size();
  }
  return found;
}

namespace {

void parse_baseline(const json& b, const std::string& at, Configuration& cfg) {
  if (b.is_object()) {
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (it.key() != "filter" && it.key() != "config" && it.key() != "name" && it.key() != "module") {
        throw ConfigurationError(at + ".baseline." + it.key() + ": unknown field");
      }
    }
    cfg.baseline = Baseline::CSharp;
    if (auto m = b.find("module"); m != b.end()) {
      if (*m == "c") {
        cfg.baseline = Baseline::CTwin;
      } else if (*m != "cs") {
        throw ConfigurationError(at +
                                 ".baseline.module: expected \"c\" (the C baseline module) or \"cs\" (the default)");
      }
    }
    cfg.baseline_filter = required_string(b, at + ".baseline", "filter");
    if (auto c = b.find("config"); c == b.end() || !c->is_object()) {
      throw ConfigurationError(at + ".baseline.config: expected an object (the twin's filter config)");
    }
    cfg.baseline_config = host::config_bytes(b["config"]);
    cfg.baseline_name = b.contains("name") ? required_string(b, at + ".baseline", "name") : cfg.baseline_filter;
  } else if (b == "c") {
    cfg.baseline = Baseline::C;
  } else if (b == "passthrough") {
    cfg.baseline = Baseline::Passthrough;
  } else {
    throw ConfigurationError(at + ".baseline: expected \"c\", \"passthrough\" or {\"filter\": ..., \"config\": {...}}");
  }
  if (cfg.baseline != Baseline::C && !cfg.route_config.empty()) {
    throw ConfigurationError(at + ".route_config: supported with the C baseline only");
  }
}
}  // namespace

std::vector<Configuration> load_configurations(const std::string& path, const std::optional<std::string>& redis_address,
                                               const std::optional<std::string>& auth_http_address,
                                               const std::optional<std::string>& auth_grpc_address) {
  std::ifstream in(path);
  if (!in) throw ConfigurationError("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  json doc;
  try {
    doc = json::parse(text.str());
  } catch (const json::exception& e) {
    throw ConfigurationError(path + " is not valid JSON: " + e.what());
  }
  auto list = doc.find("configurations");
  if (!doc.is_object() || list == doc.end() || !list->is_array() || list->empty()) {
    throw ConfigurationError("configurations: expected a non-empty array");
  }
  std::vector<Configuration> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const json& c = (*list)[i];
    const std::string at = "configurations[" + std::to_string(i) + "]";
    if (!c.is_object()) throw ConfigurationError(at + ": expected an object");
    for (auto it = c.begin(); it != c.end(); ++it) {
      static const char* known[] = {"name",     "filter",          "config",  "route_config", "request_headers",
                                    "workers",  "distinct_header", "comment", "baseline",     "secrets",
                                    "requests", "clusters"};
      bool ok = false;
      for (const char* k : known) ok |= it.key() == k;
      if (!ok) throw ConfigurationError(at + "." + it.key() + ": unknown field");
    }
    Configuration cfg;
    cfg.name = required_string(c, at, "name");
    cfg.filter = required_string(c, at, "filter");
    cfg.config = host::config_bytes(c.value("config", json::object()));
    if (c.contains("route_config")) cfg.route_config = host::config_bytes(c["route_config"]);
    if (c.contains("request_headers")) {
      try {
        cfg.request_headers = host::parse_header_list(c["request_headers"], at + ".request_headers");
      } catch (const host::ScenarioError& e) {
        throw ConfigurationError(e.what());
      }
    }
    if (auto sec = c.find("secrets"); sec != c.end()) {
      if (!sec->is_object()) throw ConfigurationError(at + ".secrets: expected an object {name: value}");
      for (auto it = sec->begin(); it != sec->end(); ++it) {
        if (!it.value().is_string()) throw ConfigurationError(at + ".secrets." + it.key() + ": expected a string");
        cfg.secrets.emplace_back(it.key(), it.value().get<std::string>());
      }
    }
    if (auto cl = c.find("clusters"); cl != c.end()) {
      if (!cl->is_object()) throw ConfigurationError(at + ".clusters: expected an object {name: \"host:port\"}");
      for (auto it = cl->begin(); it != cl->end(); ++it) {
        if (!it.value().is_string() || it.value().get<std::string>().empty()) {
          throw ConfigurationError(at + ".clusters." + it.key() + ": expected a non-empty string (\"host:port\")");
        }
        cfg.clusters.emplace_back(it.key(), it.value().get<std::string>());
      }
    }
    cfg.workers = bounded_uint(c, at, "workers", 1, 1, kMaxWorkers);
    cfg.requests = bounded_uint(c, at, "requests", 0, 1, kMaxRequests);
    if (auto b = c.find("baseline"); b != c.end()) parse_baseline(*b, at, cfg);
    if (auto d = c.find("distinct_header"); d != c.end()) {
      if (!d->is_object()) throw ConfigurationError(at + ".distinct_header: expected {\"name\": ..., \"values\": N}");
      cfg.distinct_header = required_string(*d, at + ".distinct_header", "name");
      cfg.distinct_values = bounded_uint(*d, at + ".distinct_header", "values", 0, 1, kMaxDistinctValues);
      if (cfg.distinct_values == 0) throw ConfigurationError(at + ".distinct_header.values: required");
    }
    for (std::string* text : {&cfg.config, &cfg.route_config, &cfg.baseline_config}) {
      cfg.needs_redis |= substitute(*text, kRedisPlaceholder, redis_address);
    }
    for (auto& [name, address] : cfg.clusters) {
      cfg.needs_auth_http |= substitute(address, kAuthHttpPlaceholder, auth_http_address);
      cfg.needs_auth_grpc |= substitute(address, kAuthGrpcPlaceholder, auth_grpc_address);
    }
    out.push_back(std::move(cfg));
  }
  return out;
}

}  // namespace envoyext::bench
