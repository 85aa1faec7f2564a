// envoyext-host-bench: per-request cost of filters through the ABI host, C baseline against C#.
//
//   envoyext-host-bench --configurations FILE --c-module DIR:NAME --cs-module DIR:NAME
//                       [--rounds R] [--requests N] [--warmup N]
//     Every round measures, for each configuration in turn, the empty chain, the baseline (the C
//     filter, or the C# passthrough filter for a filter without a C counterpart) and the C# filter
//     (the order rotates per round), N requests each, so slow drift on the machine hits all three
//     alike; prints one Markdown table with the median and [min-max] over the rounds.
//
//   envoyext-host-bench --module-dir DIR --module NAME --filter F [--config JSON] [--requests N]
//                       [--workers W] [--warmup N]
//     One filter, one burst; prints one JSON line (ns_per_request, managed_bytes_per_request, ...).
#include <algorithm>
#include <array>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "bench_host.h"
#include "configurations.h"
#include "crash_signals.h"
#include "results_table.h"

using namespace envoyext::bench;

namespace {

void usage() {
  std::cerr << "usage:\n"
               "  envoyext-host-bench --configurations FILE --c-module DIR:NAME --cs-module DIR:NAME\n"
               "                      [--rounds R] [--requests N] [--warmup N]\n"
               "  envoyext-host-bench --module-dir DIR --module NAME --filter F [--config JSON]\n"
               "                      [--requests N] [--workers W] [--warmup N]\n";
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
  if (c.baseline == Baseline::C) return bench.filter_chain(c, c_module, "/c-" + n + "/", false);
  Configuration passthrough = c;
  passthrough.filter = "passthrough";
  passthrough.config = "{}";
  return bench.filter_chain(passthrough, cs_module, "/p-" + n + "/", false);
}

int run_table(const Arguments& args) {
  const auto configurations = load_configurations(args.require("configurations"));
  const ModuleLocation c_module = location("c-module", args.require("c-module"));
  const ModuleLocation cs_module = location("cs-module", args.require("cs-module"));
  const uint64_t rounds = args.get_uint("rounds", 21);
  const uint64_t requests = args.get_uint("requests", 100000);
  const uint64_t warmup = args.get_uint("warmup", 20000);
  if (rounds == 0 || requests == 0) throw UsageError("--rounds and --requests must be >= 1");

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
    const std::string n = std::to_string(i);
    chains.push_back({bench.empty_chain(c, "/bench/resource"), baseline_chain(bench, c, c_module, cs_module, n),
                      bench.filter_chain(c, cs_module, "/s-" + n + "/", true)});
    // Same request path length for all three chains of a configuration.
    if (!c.route_config.empty()) chains.back()[0] = bench.empty_chain(c, "/e-" + n + "/resource");
  }
  for (size_t i = 0; i < chains.size(); ++i) {
    for (const Chain& chain : chains[i]) bench.measure(chain, warmup);  // pools, tables, caches
  }
  for (uint64_t round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < chains.size(); ++i) {
      for (size_t k = 0; k < 3; ++k) {
        const size_t variant = (k + round) % 3;  // rotate who goes first
        const Measurement m = bench.measure(chains[i][variant], requests);
        runs[i].ns[variant].push_back(m.ns_per_request);
        if (variant == 2) {
          runs[i].managed_bytes += m.managed_bytes;
          runs[i].managed_requests += m.requests;
        }
      }
    }
  }
  TableHeader header{rounds, requests, pinned, bench.has_allocated_bytes_export(), c_module.name, cs_module.name};
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
  const ModuleLocation module{args.require("module-dir"), args.require("module")};
  BenchHost bench(c.workers);
  bench.load(module);
  bench.pin_workers();
  const Chain chain = bench.filter_chain(c, module, "/single/", true);
  bench.measure(chain, std::max<uint64_t>(warmup, c.workers));
  const Measurement m = bench.measure(chain, requests);
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
