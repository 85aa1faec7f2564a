#include "host.h"

#include <sched.h>
#include <time.h>

#include <future>

#include "callout_runner.h"
#include "crash_signals.h"
#include "stream.h"

namespace envoyext::host {

namespace {
std::atomic<Host*> g_current{nullptr};
}  // namespace

// ------------------------------------------------------------------ FilterConfig / PerRouteConfig

FilterConfig::FilterConfig(Host& host, std::shared_ptr<DynamicModule> module, HttpFilterHooks hooks,
                           std::string filter_name, std::string config)
    : host_(host),
      module_(std::move(module)),
      hooks_(hooks),
      filter_name_(std::move(filter_name)),
      config_(std::move(config)) {}

FilterConfig::~FilterConfig() {
  alive_->store(false);
  if (module_config_ != nullptr && hooks_.config_destroy != nullptr) hooks_.config_destroy(module_config_);
}

size_t FilterConfig::add_metric(MetricKind kind, Metric* metric) {
  auto& v = metrics_[static_cast<int>(kind)];
  v.push_back(metric);
  return v.size() - 1;
}

Metric* FilterConfig::metric(MetricKind kind, size_t id) const {
  const auto& v = metrics_[static_cast<int>(kind)];
  return id < v.size() ? v[id] : nullptr;
}

PerRouteConfig::~PerRouteConfig() {
  // 1.40 always destroys per-route configs on the main thread.
  auto destroy = hooks_.config_destroy;
  auto rm = module_config_;
  host_.main_loop().run_sync([destroy, rm] { destroy(rm); });
}

// ------------------------------------------------------------------ Host

Host* Host::current() { return g_current.load(); }

Host::Host(HostOptions options) : options_(std::move(options)) {
  if (options_.workers == 0) options_.workers = 1;
  if (options_.install_crash_handlers) install_crash_handlers();  // before any module is loaded
  main_ = std::make_shared<EventLoop>("main_thread", 0);
  for (uint32_t i = 0; i < options_.workers; ++i) {
    workers_.push_back(std::make_shared<EventLoop>("worker_" + std::to_string(i), i));
  }
  streams_.resize(options_.workers);
  callouts_ = std::make_unique<CalloutRunner>();
  g_current.store(this);
}

Host::~Host() {
  callouts_->shutdown();
  for (auto& w : workers_) w->stop();  // drains posted work: pending streams finish or are dropped
  for (auto& table : streams_) table.clear();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    routes_.clear();  // per-route configs destroy on main
  }
  // Config destroy on the main thread, as Envoy tears down listeners there.
  main_->run_sync([this] { chain_.clear(); });
  main_->stop();
  Host* self = this;
  g_current.compare_exchange_strong(self, nullptr);
}

bool Host::add_cluster(const std::string& name, const std::string& spec, std::string& error) {
  // "h2c://host:port": an endpoint that speaks HTTP/2 with prior knowledge (a gRPC service).
  // "https://host:port[?ca=FILE][&sni=NAME]": HTTP/1.1 over TLS, the certificate checked against FILE
  // (else OpenSSL's default trust store) and NAME (else the host), as an UpstreamTlsContext would.
  constexpr std::string_view kH2c = "h2c://", kHttps = "https://";
  const std::string expected =
      "expected \"host:port\", \"h2c://host:port\" or \"https://host:port[?ca=FILE][&sni=NAME]\"";
  if (name.empty()) {
    error = "clusters: cluster name must not be empty";
    return false;
  }
  Upstream upstream;
  std::string address = spec;
  if (spec.compare(0, kH2c.size(), kH2c) == 0) {
    upstream.http2 = true;
    address = spec.substr(kH2c.size());
  } else if (spec.compare(0, kHttps.size(), kHttps) == 0) {
    UpstreamTls tls;
    address = spec.substr(kHttps.size());
    auto query = address.find('?');
    if (query != std::string::npos) {
      std::string options = address.substr(query + 1);
      address.resize(query);
      size_t pos = 0;
      while (pos <= options.size()) {
        auto amp = options.find('&', pos);
        std::string option = options.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        if (option.compare(0, 3, "ca=") == 0 && option.size() > 3) {
          tls.ca_file = option.substr(3);
        } else if (option.compare(0, 4, "sni=") == 0 && option.size() > 4) {
          tls.sni = option.substr(4);
        } else {
          error = "clusters." + name + ": unknown TLS option \"" + option + "\" (" + expected + ")";
          return false;
        }
        if (amp == std::string::npos) break;
        pos = amp + 1;
      }
    }
    upstream.tls = std::move(tls);
  }
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= address.size()) {
    error = "clusters." + name + ": " + expected + ", got \"" + spec + "\"";
    return false;
  }
  upstream.address = address;
  std::lock_guard<std::mutex> lock(mutex_);
  clusters_[name] = std::move(upstream);
  return true;
}

bool Host::find_cluster(const std::string& name, Upstream& upstream) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = clusters_.find(name);
  if (it == clusters_.end()) return false;
  upstream = it->second;
  return true;
}

void Host::add_secret(SecretSource source, const std::string& name, const std::string& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  (source == SecretSource::kAds ? ads_secrets_ : secrets_)[name] = value;
}

bool Host::secret(SecretSource source, const std::string& name, std::string& value) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto& secrets = source == SecretSource::kAds ? ads_secrets_ : secrets_;
  auto it = secrets.find(name);
  if (it == secrets.end()) return false;
  value = it->second;
  return true;
}

std::shared_ptr<DynamicModule> Host::load_module(const std::string& name, const LoadOptions& options,
                                                 ModuleInfo* info) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = modules_.find(name);
    if (it != modules_.end()) {
      if (info) *info = ModuleInfo{true, it->second->abi_version(), it->second->version_matched(), ""};
      return it->second;
    }
  }
  std::shared_ptr<DynamicModule> module;
  std::string error;
  main_->run_sync([&] { module = ModuleLoader::load(name, options, &logs_, error); });
  if (!module) {
    if (info) *info = ModuleInfo{false, "", false, error};
    return nullptr;
  }
  if (info) *info = ModuleInfo{true, module->abi_version(), module->version_matched(), ""};
  std::lock_guard<std::mutex> lock(mutex_);
  modules_[name] = module;
  return module;
}

std::shared_ptr<FilterConfig> Host::create_filter_config(const std::string& module_name, const std::string& filter_name,
                                                         const std::string& config, std::string& error) {
  std::shared_ptr<DynamicModule> module;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = modules_.find(module_name);
    if (it != modules_.end()) module = it->second;
  }
  if (!module) {
    error = "module '" + module_name + "' is not loaded";
    return nullptr;
  }
  HttpFilterHooks hooks;
  if (!resolve_http_filter_hooks(*module, hooks, error)) {
    logs_.write(4, error);
    return nullptr;
  }
  std::shared_ptr<FilterConfig> cfg;
  main_->run_sync([&] {
    cfg = std::make_shared<FilterConfig>(*this, module, hooks, filter_name, config);
    envoy_dynamic_module_type_envoy_buffer name_buf{const_cast<char*>(cfg->filter_name().data()),
                                                    cfg->filter_name().size()};
    envoy_dynamic_module_type_envoy_buffer cfg_buf{const_cast<char*>(cfg->config().data()), cfg->config().size()};
    const void* cm = hooks.config_new(cfg.get(), name_buf, cfg_buf);
    cfg->freeze();
    if (cm == nullptr) {
      error = "filter '" + filter_name + "': Failed to initialize dynamic module (config_new returned NULL)";
      logs_.write(4, error);
      cfg.reset();
      return;
    }
    cfg->set_module_config(cm);
  });
  return cfg;
}

void Host::add_filter(std::shared_ptr<FilterConfig> config) {
  std::lock_guard<std::mutex> lock(mutex_);
  chain_.push_back(std::move(config));
}

void Host::clear_filters() {
  std::vector<std::shared_ptr<FilterConfig>> old;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    old.swap(chain_);
  }
  main_->run_sync([&] { old.clear(); });
}

size_t Host::add_route(const std::string& name, const std::string& prefix) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_.push_back(Route{name, prefix, {}});
  return routes_.size() - 1;
}

bool Host::set_route_filter_config(size_t route_index, const std::string& module_name, const std::string& filter_name,
                                   const std::string& config, std::string& error, const std::string& chain_name) {
  std::shared_ptr<DynamicModule> module;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (route_index >= routes_.size()) {
      error = "routes[" + std::to_string(route_index) + "]: no such route";
      return false;
    }
    auto it = modules_.find(module_name);
    if (it != modules_.end()) module = it->second;
  }
  if (!module) {
    error = "module '" + module_name + "' is not loaded";
    return false;
  }
  PerRouteHooks hooks;
  if (!resolve_per_route_hooks(*module, hooks, error)) {
    logs_.write(4, error);
    return false;
  }
  const void* rm = nullptr;
  main_->run_sync([&] {
    envoy_dynamic_module_type_envoy_buffer name_buf{const_cast<char*>(filter_name.data()), filter_name.size()};
    envoy_dynamic_module_type_envoy_buffer cfg_buf{const_cast<char*>(config.data()), config.size()};
    rm = hooks.config_new(name_buf, cfg_buf);
  });
  if (rm == nullptr) {
    error = "route filter config '" + filter_name + "': Failed to initialize per-route dynamic module";
    logs_.write(4, error);
    return false;
  }
  auto prc = std::make_shared<PerRouteConfig>(*this, module, hooks, rm);
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string& key = chain_name.empty() ? filter_name : chain_name;
  auto& per = routes_[route_index].per_filter;
  for (auto& entry : per) {
    if (entry.first == key) {
      entry.second = prc;
      return true;
    }
  }
  per.emplace_back(key, prc);
  return true;
}

const Route* Host::match_route(const std::string& path) const {
  // First match wins; called on workers while routes are no longer being added.
  for (const auto& r : routes_) {
    if (path.compare(0, r.prefix.size(), r.prefix) == 0) return &r;
  }
  return nullptr;
}

void Host::register_stream(uint32_t worker, std::shared_ptr<Stream> s) { streams_[worker][s->id()] = std::move(s); }

void Host::unregister_stream(uint32_t worker, uint64_t id) {
  // Runs inside the stream's own deferred destroy: keep the object alive until that call returns.
  auto& table = streams_[worker];
  auto it = table.find(id);
  if (it == table.end()) return;
  auto keep = std::move(it->second);
  table.erase(it);
  workers_[worker]->defer([keep] {});
}

void Host::start(std::shared_ptr<const RequestSpec> spec, int worker, std::function<void(RequestResult&&)> done) {
  uint32_t w =
      worker >= 0 ? static_cast<uint32_t>(worker) % worker_count() : round_robin_.fetch_add(1) % worker_count();
  std::vector<std::shared_ptr<FilterConfig>> chain;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    chain = chain_;
  }
  auto loop = workers_[w];
  uint64_t id = next_stream_id_.fetch_add(1);
  loop->post([this, loop, w, id, spec = std::move(spec), chain = std::move(chain), done = std::move(done)]() mutable {
    auto s = std::make_shared<Stream>(*this, loop, id, std::move(spec), chain, std::move(done));
    register_stream(w, s);
    s->start(false);
  });
}

RequestResult Host::run(const RequestSpec& spec, int worker) {
  std::promise<RequestResult> promise;
  auto future = promise.get_future();
  start(std::make_shared<RequestSpec>(spec), worker,
        [&promise](RequestResult&& r) { promise.set_value(std::move(r)); });
  return future.get();
}

uint64_t Host::run_inline_burst(const std::vector<std::shared_ptr<const RequestSpec>>& specs,
                                const std::vector<std::shared_ptr<FilterConfig>>& chain, uint32_t worker,
                                uint64_t count, BurstDetail* detail) {
  if (specs.empty() || count == 0) return 0;
  auto loop = workers_[worker % worker_count()];
  const bool record_latency = detail != nullptr && detail->record_latency;
  if (record_latency) detail->latency_ns.reserve(detail->latency_ns.size() + count);
  const auto stream_timeout =
      std::chrono::milliseconds(options_.stream_timeout_ms > 0 ? options_.stream_timeout_ms : 10000);
  uint64_t cpu_ns = 0;
  loop->run_sync([&] {
    auto cpu_now = [] {
      timespec ts;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
    };
    const uint64_t start = cpu_now();
    size_t next = (static_cast<size_t>(worker % worker_count()) * specs.size()) / worker_count();
    for (uint64_t i = 0; i < count; ++i) {
      const auto began = record_latency ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
      auto s = std::make_shared<Stream>(*this, loop, next_stream_id_.fetch_add(1, std::memory_order_relaxed),
                                        specs[next], chain, nullptr);
      if (++next == specs.size()) next = 0;
      s->start(true);
      if (!s->finished()) {
        // A filter stopped the stream and resumes it on a later event: run the loop until then.
        if (detail != nullptr) ++detail->waited;
        const auto deadline = EventLoop::Clock::now() + stream_timeout;
        if (!loop->run_nested_until([&s] { return s->finished(); }, deadline)) {
          if (detail != nullptr) ++detail->timed_out;
          s->reset("bench_stream_timeout");
        }
      }
      loop->run_pending_deferred();  // end of this "loop iteration": the deferred destroy runs
      if (record_latency) {
        detail->latency_ns.push_back(static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - began).count()));
      }
    }
    cpu_ns = cpu_now() - start;
  });
  return cpu_ns;
}

bool Host::pin_worker(uint32_t worker, int cpu) {
  if (worker >= worker_count() || cpu < 0 || cpu >= CPU_SETSIZE) return false;
  bool pinned = false;
  workers_[worker]->run_sync([&] {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pinned = sched_setaffinity(0, sizeof set, &set) == 0;
  });
  return pinned;
}

bool Host::register_pointer(bool shared_data, const std::string& key, void* p) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& m = shared_data ? shared_data_ : functions_;
  if (!shared_data && m.count(key) != 0) return false;  // functions register once
  m[key] = p;
  return true;
}

bool Host::lookup_pointer(bool shared_data, const std::string& key, void** out) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& m = shared_data ? shared_data_ : functions_;
  auto it = m.find(key);
  if (it == m.end()) return false;
  *out = it->second;
  return true;
}

}  // namespace envoyext::host
