// Per-request cost of a full stream (new, request headers, response headers, complete, destroy)
// through the filter chain, measured as worker CPU time so other load on the machine matters less.
#include <chrono>
#include <future>
#include <iostream>
#include <vector>

#include "arguments.h"
#include "commands.h"
#include "host.h"

#include <nlohmann/json.hpp>

namespace envoyext::cli {

namespace {
// Diagnostic export of the C# module: total bytes the managed runtime allocated so far.
using AllocatedBytesFn = uint64_t (*)();

uint64_t parallel_bursts(host::Host& h, const std::shared_ptr<const host::RequestSpec>& spec, uint32_t workers,
                         uint64_t per_worker) {
  std::vector<std::future<uint64_t>> runs;
  for (uint32_t w = 0; w < workers; ++w) {
    runs.push_back(std::async(std::launch::async, [&h, &spec, w, per_worker] {
      return h.run_inline_burst(spec, static_cast<int>(w), per_worker);
    }));
  }
  uint64_t cpu_ns = 0;
  for (auto& r : runs) cpu_ns += r.get();
  return cpu_ns;
}
}  // namespace

int bench_command(int argc, char** argv) {
  Arguments args(argc, argv, 2);
  const std::string filter = args.require("filter");
  const std::string module_name = filter == "none" ? args.get("module", "") : args.require("module");
  const std::string config = args.get("config", "{}");
  const uint64_t requests = args.get_uint("requests", 200000);
  const uint32_t workers = static_cast<uint32_t>(args.get_uint("workers", 1));
  if (workers == 0 || requests < workers) throw UsageError("--workers must be >= 1 and <= --requests");
  const uint64_t warmup = args.get_uint("warmup", std::max<uint64_t>(requests / 10, 1000));

  host::HostOptions options;
  options.workers = workers;
  options.record_events = false;
  options.record_results = false;
  host::Host h(options);
  AllocatedBytesFn allocated = nullptr;
  if (filter != "none") {
    host::ModuleInfo info;
    auto module = h.load_module(module_name, host::LoadOptions{}, &info);
    if (!module) {
      std::cerr << "envoyext-host bench: " << info.error << "\n";
      return 1;
    }
    allocated = reinterpret_cast<AllocatedBytesFn>(module->symbol("envoyext_module_allocated_bytes"));
    std::string error;
    auto cfg = h.create_filter_config(module_name, filter, config, error);
    if (!cfg) {
      std::cerr << "envoyext-host bench: " << error << "\n";
      return 1;
    }
    h.add_filter(cfg);
  }

  auto spec = std::make_shared<host::RequestSpec>();
  spec->headers = {{":method", "GET"},  {":path", "/bench/resource"}, {":authority", "bench.local"},
                   {":scheme", "http"}, {"x-user", "bench-user"},     {"user-agent", "envoyext-bench"}};
  spec->upstream.status = 200;
  spec->upstream.headers = {{"content-type", "text/plain"}};

  const uint64_t per_worker = requests / workers;
  parallel_bursts(h, spec, workers, std::max<uint64_t>(warmup / workers, 1));
  const uint64_t bytes_before = allocated ? allocated() : 0;
  auto wall_start = std::chrono::steady_clock::now();
  const uint64_t cpu_ns = parallel_bursts(h, spec, workers, per_worker);
  auto wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - wall_start);
  const uint64_t bytes_after = allocated ? allocated() : 0;
  const uint64_t measured = per_worker * workers;

  nlohmann::json out = {{"filter", filter},
                        {"module", module_name},
                        {"ns_per_request", static_cast<double>(cpu_ns) / static_cast<double>(measured)},
                        {"wall_ns_per_request", static_cast<double>(wall_ns.count()) / static_cast<double>(measured)},
                        {"requests", measured},
                        {"workers", workers}};
  if (allocated != nullptr) {
    out["managed_bytes_per_request"] = static_cast<double>(bytes_after - bytes_before) / static_cast<double>(measured);
  } else {
    out["managed_bytes_per_request"] = nullptr;
  }
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace envoyext::cli
