// The ABI host: stands in for an Envoy 1.40 process. A main loop (config work, per-route config,
// config-level scheduler) and N worker loops (streams), loaded modules, the filter chain, routes,
// clusters for callouts, the metrics registry and the log sink.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dynamic_module.h"
#include "exchange.h"
#include "event_loop.h"
#include "filter_config.h"
#include "log_sink.h"
#include "metrics_registry.h"
#include "request_types.h"

namespace envoyext::host {

class Stream;
class CalloutRunner;

struct HostOptions {
  uint32_t workers = 1;
  uint64_t stream_timeout_ms = 10000;  // a stream that makes no progress gets Envoy's idle-timeout 408
  bool install_crash_handlers = false;
  bool record_events = true;   // RequestResult::events; off for benchmarks
  bool record_results = true;  // copy headers/bodies into RequestResult; off for benchmarks
  std::string destination_address = "127.0.0.1:10000";
  std::string protocol = "HTTP/1.1";
};

struct ModuleInfo {
  bool loaded = false;
  std::string abi_version;
  bool version_matched = false;
  std::string error;
};

class Host {
 public:
  explicit Host(HostOptions options);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  // The host that module-level callbacks without a context pointer (log, runtime) report to.
  static Host* current();

  // "host:port" for HTTP/1.1 callouts. false + error on a malformed address.
  // `spec` is "host:port" (HTTP/1.1) or "h2c://host:port" (HTTP/2 with prior knowledge).
  bool add_cluster(const std::string& name, const std::string& spec, std::string& error);
  bool find_cluster(const std::string& name, Upstream& upstream) const;
  // Generic secrets modules subscribe to in config_new: static ones (Envoy's bootstrap secrets,
  // subscribed with an empty SDS config) and ones the node received over ADS (subscribed with an
  // SDS config source naming ADS). Envoy keeps the two apart, and so does the host.
  enum class SecretSource { kStatic, kAds };
  void add_secret(SecretSource source, const std::string& name, const std::string& value);
  bool secret(SecretSource source, const std::string& name, std::string& value) const;

  // Loads (or reuses) a module on the main thread.
  std::shared_ptr<DynamicModule> load_module(const std::string& name, const LoadOptions& options,
                                             ModuleInfo* info = nullptr);
  // config_new on the main thread. nullptr + error when the module rejects the config or lacks hooks.
  std::shared_ptr<FilterConfig> create_filter_config(const std::string& module_name, const std::string& filter_name,
                                                     const std::string& config, std::string& error);
  void add_filter(std::shared_ptr<FilterConfig> config);
  void clear_filters();
  size_t add_route(const std::string& name, const std::string& prefix);
  // per_route_config_new on the main thread, attached to route `route_index` for the filter whose chain name
  // is `chain_name` (empty: `filter_name`).
  bool set_route_filter_config(size_t route_index, const std::string& module_name, const std::string& filter_name,
                               const std::string& config, std::string& error, const std::string& chain_name = "");

  // Runs one request on `worker` (-1 = round robin); `done` runs on the worker after destroy.
  void start(std::shared_ptr<const RequestSpec> spec, int worker, std::function<void(RequestResult&&)> done);
  // Blocking convenience.
  RequestResult run(const RequestSpec& spec, int worker = -1);

  // What a benchmark burst saw besides its CPU time.
  struct BurstDetail {
    bool record_latency = false;       // fill latency_ns (two clock reads per stream)
    std::vector<uint64_t> latency_ns;  // per stream: start to completion, wall clock
    uint64_t waited = 0;               // streams a filter stopped that completed on a later loop event
    uint64_t timed_out = 0;            // of those, streams reset after stream_timeout_ms without completing
  };
  // Benchmark: `count` full streams back to back on `worker` through `chain` (not the host's
  // chain, so one host can alternate between chains), cycling through `specs` (worker w of n starts
  // at spec w*size/n, so workers do not walk the specs in step), answered inline by the upstream. A
  // stream a filter stops (e.g. waiting for a scheduler event) is completed before the next starts:
  // the worker runs its loop's events until it is. Returns the worker thread's CPU time spent on
  // them, in nanoseconds (time blocked waiting for an event is not CPU time).
  uint64_t run_inline_burst(const std::vector<std::shared_ptr<const RequestSpec>>& specs,
                            const std::vector<std::shared_ptr<FilterConfig>>& chain, uint32_t worker, uint64_t count,
                            BurstDetail* detail = nullptr);
  // Restricts worker `worker`'s thread to CPU `cpu` (sched_setaffinity). false when the machine
  // does not allow it (fewer CPUs, a container's cpuset); the worker then runs unpinned.
  bool pin_worker(uint32_t worker, int cpu);

  const Route* match_route(const std::string& path) const;
  uint32_t worker_count() const { return static_cast<uint32_t>(workers_.size()); }
  EventLoop& main_loop() { return *main_; }
  const std::shared_ptr<EventLoop>& main_loop_ptr() const { return main_; }
  MetricsRegistry& metrics() { return metrics_; }
  LogSink& logs() { return logs_; }
  const HostOptions& options() const { return options_; }
  CalloutRunner& callouts() { return *callouts_; }

  // Streams live in their worker's table until their deferred destroy (benchmark bursts keep
  // their stream alive themselves and skip the table).
  void register_stream(uint32_t worker, std::shared_ptr<Stream> s);
  void unregister_stream(uint32_t worker, uint64_t id);

  // Process-wide function/shared-data registries (module callbacks register_function etc.).
  bool register_pointer(bool shared_data, const std::string& key, void* p);
  bool lookup_pointer(bool shared_data, const std::string& key, void** out);

 private:
  HostOptions options_;
  LogSink logs_;
  MetricsRegistry metrics_;
  std::shared_ptr<EventLoop> main_;
  std::vector<std::shared_ptr<EventLoop>> workers_;
  std::vector<std::map<uint64_t, std::shared_ptr<Stream>>> streams_;  // per worker, touched on that worker
  std::unique_ptr<CalloutRunner> callouts_;
  mutable std::mutex mutex_;
  std::map<std::string, Upstream> clusters_;
  std::map<std::string, std::string> secrets_;
  std::map<std::string, std::string> ads_secrets_;
  std::map<std::string, std::shared_ptr<DynamicModule>> modules_;
  std::vector<std::shared_ptr<FilterConfig>> chain_;
  std::deque<Route> routes_;  // deque: streams keep Route pointers
  std::map<std::string, void*> functions_, shared_data_;
  std::atomic<uint64_t> next_stream_id_{1};
  std::atomic<uint32_t> round_robin_{0};
};

}  // namespace envoyext::host
