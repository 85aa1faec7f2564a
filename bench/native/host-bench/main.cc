// envoyext-host-bench: per-request cost of filters through the ABI host, C baseline against C#.
//
//   envoyext-host-bench --configurations FILE --c-module DIR:NAME --cs-module DIR:NAME
//                       [--rounds R] [--requests N] [--warmup N] [--redis HOST:PORT]
//     Every round measures, for each configuration in turn, the empty chain, the baseline (the C
//     filter, the C# passthrough filter for a filter without a C counterpart, or a C# twin
//     configuration) and the C# filter (the order rotates per round), N requests each (or the
//     configuration's own "requests"), so slow drift on the machine hits all three alike; prints a
//     Markdown table with the median and [min-max] over the rounds, and for multi-worker
//     configurations a second one with requests/s and p50/p99 latency. --redis replaces the
//     {{redis}} placeholder of the configurations; without it those configurations are skipped.
//     A cluster address "{{auth_http}}" starts the benchmark's own authorization service
//     (auth_server.h) on a free loopback port for the run, "h2c://{{auth_grpc}}" its gRPC twin;
//     every check they miss stops the run.
//     --only-chain empty|baseline|cs runs that chain alone (warm-up and rounds) and prints no table:
//     for counting its instructions under a profiler (bench/count-instructions.sh).
//
//   envoyext-host-bench --module-dir DIR --module NAME --filter F [--config JSON] [--requests N]
//                       [--workers W] [--warmup N] [--cluster NAME=ADDRESS]
//     One filter, one burst; prints one JSON line (ns_per_request, managed_bytes_per_request, ...).
//     --cluster adds one cluster its callouts reach; "{{auth_http}}" and "h2c://{{auth_grpc}}" start
//     the authorization service as above, and a check it did not allow fails the run.
#include <algorithm>
#include <array>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "auth_server.h"
#include "bench_host.h"
#include "configurations.h"
#include "crash_signals.h"
#include "results_table.h"

using namespace envoyext::bench;

namespace {

void usage() {
  std::cerr << "usage:\n"
               "  envoyext-host-bench --configurations FILE --c-module DIR:NAME --cs-module DIR:NAME\n"
               "                      [--rounds R] [--requests N] [--warmup N] [--redis HOST:PORT]\n"
               "                      [--only-chain empty|baseline|cs]\n"
               "  envoyext-host-bench --module-dir DIR --module NAME --filter F [--config JSON]\n"
               "                      [--requests N] [--workers W] [--warmup N] [--cluster NAME=ADDRESS]\n";
}

// --only-chain: the index of the chain to measure alone (0 empty, 1 baseline, 2 C#), or none.
std::optional<size_t> only_chain(const Arguments& args) {
  if (!args.has("only-chain")) return std::nullopt;
  const std::string chain = args.get("only-chain", "");
  if (chain == "empty") return 0;
  if (chain == "baseline") return 1;
  if (chain == "cs") return 2;
  throw UsageError("--only-chain must be empty, baseline or cs (got '" + chain + "')");
}

ModuleLocation location(const std::string& option, const std::string& value) {
  const auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
    throw UsageError("--" + option + " expects DIR:NAME, got '" + value + "'");
  }
  return {value.substr(0, colon), value.substr(colon + 1)};
}

// The chain a configuration's C# filter is compared with (see Baseline).
Chain baseline_chain(BenchHost& bench, const Configuration& c, const ModuleLocation& c_module,
                     const ModuleLocation& cs_module, const std::string& n) {
  if (c.baseline == Baseline::C) return bench.filter_chain(c, c_module, "/c-" + n + "/");
  const bool twin_filter = c.baseline == Baseline::CSharp || c.baseline == Baseline::CTwin;
  Configuration twin = c;
  twin.filter = twin_filter ? c.baseline_filter : "passthrough";
  twin.config = twin_filter ? c.baseline_config : "{}";
  return bench.filter_chain(twin, c.baseline == Baseline::CTwin ? c_module : cs_module, "/p-" + n + "/");
}

// The benchmark's authorization services a run needs, started before the host and stopped after it
// (so no callout outlives its endpoint), and their addresses for the placeholders.
struct AuthServers {
  std::unique_ptr<AuthServer> http, grpc;
  std::optional<std::string> http_address, grpc_address;

  void start(bool need_http, bool need_grpc) {
    if (need_http && !http) {
      http = std::make_unique<AuthServer>(AuthServer::Protocol::Http1);
      http_address = http->address();
      std::cerr << "host-bench: authorization service (HTTP, 200, empty body) on " << *http_address << "\n";
    }
    if (need_grpc && !grpc) {
      grpc = std::make_unique<AuthServer>(AuthServer::Protocol::Grpc);
      grpc_address = grpc->address();
      std::cerr << "host-bench: authorization service (gRPC, OK CheckResponse) on " << *grpc_address << "\n";
    }
  }
  // The checks answered so far by the service a configuration calls (0 without one).
  uint64_t answered(const Configuration& c) const {
    uint64_t n = 0;
    if (c.needs_auth_http) n += http->answered();
    if (c.needs_auth_grpc) n += grpc->answered();
    return n;
  }
};

// A chain whose checks the authorization service did not all allow measured something else (a
// local reply for a failed check): the run stops rather than print that figure.
void require_all_answered(const AuthServers& servers, uint64_t before, const Measurement& m, const Configuration& c) {
  if (!c.needs_auth_http && !c.needs_auth_grpc) return;
  const uint64_t answered = servers.answered(c) - before;
  if (answered != m.requests) {
    throw std::runtime_error(c.name + ": the authorization service answered " + std::to_string(answered) + " of " +
                             std::to_string(m.requests) + " checks");
  }
}

int run_table(const Arguments& args) {
  std::optional<std::string> redis;
  if (args.has("redis")) redis = args.require("redis");
  const std::string path = args.require("configurations");
  AuthServers auth;
  for (const auto& c : load_configurations(path, redis)) auth.start(c.needs_auth_http, c.needs_auth_grpc);
  std::vector<Configuration> configurations;
  std::vector<std::string> skipped;
  for (auto& c : load_configurations(path, redis, auth.http_address, auth.grpc_address)) {
    if (c.needs_redis && !redis) {
      skipped.push_back(c.name + " (needs Redis: no --redis given)");
      continue;
    }
    configurations.push_back(std::move(c));
  }
  if (configurations.empty()) throw UsageError("no configuration left to run");
  const ModuleLocation c_module = location("c-module", args.require("c-module"));
  const ModuleLocation cs_module = location("cs-module", args.require("cs-module"));
  const uint64_t rounds = args.get_uint("rounds", 21);
  const uint64_t requests = args.get_uint("requests", 100000);
  const uint64_t warmup = args.get_uint("warmup", 20000);
  if (rounds == 0 || requests == 0) throw UsageError("--rounds and --requests must be >= 1");
  const std::optional<size_t> only = only_chain(args);

  uint32_t workers = 1;
  for (const auto& c : configurations) workers = std::max(workers, c.workers);
  BenchHost bench(workers);
  bench.load(c_module);
  bench.load(cs_module);
  const std::vector<int> pinned = bench.pin_workers();

  std::vector<ConfigurationRuns> runs(configurations.size());
  std::vector<std::array<Chain, 3>> chains;
  for (size_t i = 0; i < configurations.size(); ++i) {
    const Configuration& c = configurations[i];
    runs[i].configuration = &c;
    runs[i].requests_per_round = c.requests != 0 ? c.requests : requests;
    const std::string n = std::to_string(i);
    chains.push_back({bench.empty_chain(c, "/bench/resource"), baseline_chain(bench, c, c_module, cs_module, n),
                      bench.filter_chain(c, cs_module, "/s-" + n + "/")});
    // Same request path length for all three chains of a configuration.
    if (!c.route_config.empty()) chains.back()[0] = bench.empty_chain(c, "/e-" + n + "/resource");
  }
  for (size_t i = 0; i < chains.size(); ++i) {
    // Pools, tables, caches (and a Global rule's first leases); a configuration with its own request
    // count warms up with at most that many.
    const uint64_t n = configurations[i].requests != 0 ? std::min(warmup, configurations[i].requests) : warmup;
    for (size_t variant = 0; variant < 3; ++variant) {
      if (only && *only != variant) continue;
      const uint64_t answered = auth.answered(configurations[i]);
      const Measurement m = bench.measure(chains[i][variant], n);
      if (variant != 0) require_all_answered(auth, answered, m, configurations[i]);
    }
  }
  for (uint64_t round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < chains.size(); ++i) {
      for (size_t k = 0; k < 3; ++k) {
        const size_t variant = (k + round) % 3;  // rotate who goes first
        if (only && *only != variant) continue;
        const uint64_t answered = auth.answered(configurations[i]);
        const Measurement m = bench.measure(chains[i][variant], runs[i].requests_per_round);
        if (variant != 0) require_all_answered(auth, answered, m, configurations[i]);
        runs[i].ns[variant].push_back(m.ns_per_request);
        runs[i].waited[variant] += m.waited;
        runs[i].timed_out[variant] += m.timed_out;
        if (chains[i][variant].records_latency) {
          runs[i].requests_per_second[variant].push_back(m.requests_per_second);
          runs[i].p50_ns[variant].push_back(m.p50_ns);
          runs[i].p99_ns[variant].push_back(m.p99_ns);
        }
        if (chains[i][variant].counts_managed_bytes) {
          runs[i].managed_bytes_per_request[variant].push_back(static_cast<double>(m.managed_bytes) /
                                                               static_cast<double>(m.requests));
          runs[i].managed_bytes[variant] += m.managed_bytes;
        }
      }
    }
  }
  if (only) {
    std::cout << "measured only the " << args.get("only-chain", "") << " chain\n";
    return 0;
  }
  TableHeader header{rounds,        requests,       pinned, bench.has_allocated_bytes_export(),
                     c_module.name, cs_module.name, skipped};
  print_markdown_table(std::cout, header, runs);
  return 0;
}

int run_single(const Arguments& args) {
  Configuration c;
  c.name = "single";
  c.filter = args.require("filter");
  c.config = args.get("config", "{}");
  c.workers = static_cast<uint32_t>(args.get_uint("workers", 1));
  const uint64_t requests = args.get_uint("requests", 200000);
  const uint64_t warmup = args.get_uint("warmup", std::max<uint64_t>(requests / 10, 1000));
  if (c.workers == 0 || requests < c.workers) throw UsageError("--workers must be >= 1 and <= --requests");
  AuthServers auth;
  if (args.has("cluster")) {
    const std::string spec = args.require("cluster");
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      throw UsageError("--cluster expects NAME=ADDRESS, got '" + spec + "'");
    }
    std::string address = spec.substr(eq + 1);
    c.needs_auth_http = address.find(kAuthHttpPlaceholder) != std::string::npos;
    c.needs_auth_grpc = address.find(kAuthGrpcPlaceholder) != std::string::npos;
    auth.start(c.needs_auth_http, c.needs_auth_grpc);
    substitute(address, kAuthHttpPlaceholder, auth.http_address);
    substitute(address, kAuthGrpcPlaceholder, auth.grpc_address);
    c.clusters.emplace_back(spec.substr(0, eq), address);
  }
  const ModuleLocation module{args.require("module-dir"), args.require("module")};
  BenchHost bench(c.workers);
  bench.load(module);
  bench.pin_workers();
  const Chain chain = bench.filter_chain(c, module, "/single/");
  uint64_t answered = auth.answered(c);
  require_all_answered(auth, answered, bench.measure(chain, std::max<uint64_t>(warmup, c.workers)), c);
  answered = auth.answered(c);
  const Measurement m = bench.measure(chain, requests);
  require_all_answered(auth, answered, m, c);
  nlohmann::json out = {{"filter", c.filter},
                        {"module", module.name},
                        {"ns_per_request", m.ns_per_request},
                        {"wall_ns_per_request", m.wall_ns_per_request},
                        {"requests", m.requests},
                        {"workers", c.workers}};
  if (chain.counts_managed_bytes) {
    out["managed_bytes_per_request"] = static_cast<double>(m.managed_bytes) / static_cast<double>(m.requests);
  } else {
    out["managed_bytes_per_request"] = nullptr;
  }
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  envoyext::host::install_crash_handlers();
  try {
    Arguments args(argc, argv, 1);
    if (args.has("configurations")) return run_table(args);
    if (args.has("filter")) return run_single(args);
    usage();
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "envoyext-host-bench: " << e.what() << "\n";
    usage();
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "envoyext-host-bench: " << e.what() << "\n";
    return 1;
  }
}
