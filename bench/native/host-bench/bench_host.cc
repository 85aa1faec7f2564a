#include "bench_host.h"

#include <sched.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <stdexcept>

namespace envoyext::bench {

namespace {
host::HostOptions bench_options(uint32_t workers) {
  host::HostOptions o;
  o.workers = workers;
  o.record_events = false;
  o.record_results = false;
  return o;
}
}  // namespace

BenchHost::BenchHost(uint32_t workers) : host_(bench_options(workers)) {}

void BenchHost::load(const ModuleLocation& location) {
  ::setenv("ENVOY_DYNAMIC_MODULES_SEARCH_PATH", location.dir.c_str(), 1);
  host::ModuleInfo info;
  auto module = host_.load_module(location.name, host::LoadOptions{}, &info);
  if (!module) throw std::runtime_error("module " + location.name + " in " + location.dir + ": " + info.error);
  // Diagnostic export of the C# module (or its test module): bytes the managed runtime allocated.
  if (void* fn = module->symbol("envoyext_module_allocated_bytes")) {
    allocated_bytes_ = reinterpret_cast<uint64_t (*)()>(fn);
  }
}

std::vector<std::shared_ptr<const host::RequestSpec>> BenchHost::requests_for(const Configuration& c,
                                                                              const std::string& path) const {
  host::RequestSpec base;
  base.headers = {{":method", "GET"},
                  {":path", path},
                  {":authority", "bench.local"},
                  {":scheme", "http"},
                  {"user-agent", "envoyext-bench"}};
  for (const auto& h : c.request_headers) base.headers.push_back(h);
  base.upstream.status = 200;
  base.upstream.headers = {{"content-type", "text/plain"}};
  std::vector<std::shared_ptr<const host::RequestSpec>> out;
  if (c.distinct_values == 0) {
    out.push_back(std::make_shared<host::RequestSpec>(base));
    return out;
  }
  for (uint32_t i = 0; i < c.distinct_values; ++i) {
    auto r = std::make_shared<host::RequestSpec>(base);
    r->headers.emplace_back(c.distinct_header, "client-" + std::to_string(i));
    out.push_back(std::move(r));
  }
  return out;
}

Chain BenchHost::empty_chain(const Configuration& c, const std::string& path) {
  Chain chain;
  chain.requests = requests_for(c, path);
  chain.workers = c.workers;
  chain.records_latency = c.workers > 1;
  chain.counts_managed_bytes = allocated_bytes_ != nullptr;
  return chain;
}

Chain BenchHost::filter_chain(const Configuration& c, const ModuleLocation& module, const std::string& route_prefix) {
  std::string error;
  // Static secrets, as Envoy's bootstrap would hold them, so config_new finds what it subscribes to.
  for (const auto& [name, value] : c.secrets) host_.add_secret(host::Host::SecretSource::kStatic, name, value);
  // The clusters the filter's callouts name, as Envoy's cluster manager would hold them.
  for (const auto& [name, address] : c.clusters) {
    if (!host_.add_cluster(name, address, error)) throw std::runtime_error(c.name + ": " + error);
  }
  auto cfg = host_.create_filter_config(module.name, c.filter, c.config, error);
  if (!cfg) throw std::runtime_error(c.name + ": " + module.name + " rejected the config: " + error);
  std::string path = "/bench/resource";
  if (!c.route_config.empty()) {
    const size_t route = host_.add_route(route_prefix, route_prefix);
    if (!host_.set_route_filter_config(route, module.name, c.filter, c.route_config, error)) {
      throw std::runtime_error(c.name + ": " + module.name + " rejected the per-route config: " + error);
    }
    path = route_prefix + "resource";
  }
  Chain chain = empty_chain(c, path);
  chain.filters.push_back(cfg);
  chain.records_latency = c.workers > 1;
  return chain;
}

Measurement BenchHost::measure(const Chain& chain, uint64_t requests) {
  const uint64_t per_worker = std::max<uint64_t>(requests / chain.workers, 1);
  std::vector<host::Host::BurstDetail> details(chain.workers);
  for (auto& d : details) d.record_latency = chain.records_latency;
  const uint64_t bytes_before = chain.counts_managed_bytes ? allocated_bytes_() : 0;
  const auto wall_start = std::chrono::steady_clock::now();
  std::vector<std::future<uint64_t>> bursts;
  for (uint32_t w = 0; w < chain.workers; ++w) {
    bursts.push_back(std::async(std::launch::async, [this, &chain, &details, w, per_worker] {
      return host_.run_inline_burst(chain.requests, chain.filters, w, per_worker, &details[w]);
    }));
  }
  uint64_t cpu_ns = 0;
  for (auto& b : bursts) cpu_ns += b.get();
  const auto wall_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - wall_start).count();
  const uint64_t bytes_after = chain.counts_managed_bytes ? allocated_bytes_() : 0;
  Measurement m;
  m.requests = per_worker * chain.workers;
  m.ns_per_request = static_cast<double>(cpu_ns) / static_cast<double>(m.requests);
  m.wall_ns_per_request = static_cast<double>(wall_ns) / static_cast<double>(m.requests);
  m.managed_bytes = bytes_after - bytes_before;
  std::vector<uint64_t> latencies;
  for (auto& d : details) {
    m.waited += d.waited;
    m.timed_out += d.timed_out;
    latencies.insert(latencies.end(), d.latency_ns.begin(), d.latency_ns.end());
  }
  if (chain.records_latency && !latencies.empty() && wall_ns > 0) {
    m.requests_per_second = static_cast<double>(m.requests) * 1e9 / static_cast<double>(wall_ns);
    auto at = [&latencies](double q) {
      const size_t k = std::min(latencies.size() - 1, static_cast<size_t>(q * static_cast<double>(latencies.size())));
      std::nth_element(latencies.begin(), latencies.begin() + static_cast<std::ptrdiff_t>(k), latencies.end());
      return static_cast<double>(latencies[k]);
    };
    m.p50_ns = at(0.50);
    m.p99_ns = at(0.99);
  }
  return m;
}

std::vector<int> BenchHost::pin_workers() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return {};
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < host_.worker_count(); ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  if (cpus.size() < host_.worker_count()) return {};
  for (uint32_t w = 0; w < host_.worker_count(); ++w) {
    if (!host_.pin_worker(w, cpus[w])) return {};
  }
  return cpus;
}

}  // namespace envoyext::bench
