// Envoy's side of a filter configuration (the `filter_config_envoy_ptr` a module sees) and of a
// per-route configuration.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http_filter_hooks.h"
#include "metrics_registry.h"

namespace envoyext::host {

class DynamicModule;
class Host;

class FilterConfig {
 public:
  FilterConfig(Host& host, std::shared_ptr<DynamicModule> module, HttpFilterHooks hooks, std::string filter_name,
               std::string config);
  ~FilterConfig();  // calls config_destroy (on whichever thread drops the last reference, as Envoy)

  Host& host() const { return host_; }
  const HttpFilterHooks& hooks() const { return hooks_; }
  const std::string& filter_name() const { return filter_name_; }
  const std::string& config() const { return config_; }
  const void* module_config() const { return module_config_; }
  void set_module_config(const void* cm) { module_config_ = cm; }
  const std::shared_ptr<DynamicModule>& module() const { return module_; }
  // Envoy's `terminal_filter`: only such filters register for downstream watermark callbacks.
  bool terminal_filter() const { return terminal_filter_; }
  void set_terminal_filter(bool terminal) { terminal_filter_ = terminal; }
  // The HCM filter name: per-route configs are looked up by it, so one chain can hold several
  // instances of one filter_name. Empty means the filter_name.
  const std::string& chain_name() const { return chain_name_.empty() ? filter_name_ : chain_name_; }
  void set_chain_name(std::string name) { chain_name_ = std::move(name); }

  // Metrics: defined only while config_new runs (afterwards Frozen), ids index per kind.
  bool frozen() const { return frozen_; }
  void freeze() { frozen_ = true; }
  size_t add_metric(MetricKind kind, Metric* metric);
  Metric* metric(MetricKind kind, size_t id) const;

  // Generic-secret subscriptions, made while config_new runs: the id is the index + 1 (0 is
  // Envoy's "subscription failed"); the value is fixed for the config's lifetime (static secret).
  size_t subscribe_secret(std::string value) {
    secrets_.push_back(std::move(value));
    return secrets_.size();
  }
  const std::string* secret(size_t id) const { return id == 0 || id > secrets_.size() ? nullptr : &secrets_[id - 1]; }

  // Lets scheduler and callout completions find out the config is gone.
  std::shared_ptr<std::atomic<bool>> alive_flag() const { return alive_; }

 private:
  Host& host_;
  std::shared_ptr<DynamicModule> module_;
  HttpFilterHooks hooks_;
  std::string filter_name_;
  std::string config_;
  const void* module_config_ = nullptr;
  bool frozen_ = false;
  bool terminal_filter_ = false;
  std::string chain_name_;
  std::vector<Metric*> metrics_[3];
  std::vector<std::string> secrets_;
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

class PerRouteConfig {
 public:
  PerRouteConfig(Host& host, std::shared_ptr<DynamicModule> module, PerRouteHooks hooks, const void* rm)
      : host_(host), module_(std::move(module)), hooks_(hooks), module_config_(rm) {}
  ~PerRouteConfig();  // per_route_config_destroy, always on the main thread (1.40)
  const void* module_config() const { return module_config_; }

 private:
  Host& host_;
  std::shared_ptr<DynamicModule> module_;
  PerRouteHooks hooks_;
  const void* module_config_;
};

struct Route {
  std::string name;
  std::string prefix;
  // chain name (the HCM filter name; the filter_name unless a scenario names the filter) -> per-route config
  std::vector<std::pair<std::string, std::shared_ptr<PerRouteConfig>>> per_filter;
  const void* per_route_config_for(const std::string& chain_name) const {
    for (const auto& [n, c] : per_filter) {
      if (n == chain_name) return c->module_config();
    }
    return nullptr;
  }
};

}  // namespace envoyext::host
