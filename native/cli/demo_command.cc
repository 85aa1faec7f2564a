// A burst of requests against one rate-limited route, printed as a table.
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "host.h"
#include "table_printer.h"

namespace envoyext::cli {

namespace {
std::string header_or_dash(const host::RequestResult& r, const char* name) {
  if (!r.downstream_response) return "-";
  for (const auto& [k, v] : r.downstream_response->headers) {
    if (k == name) return v;
  }
  return "-";
}
}  // namespace

int demo_command(int argc, char** argv) {
  Arguments args(argc, argv, 2);
  const std::string module_name = args.require("module");
  const std::string config = args.require("config");
  const std::string route = args.require("route");
  const uint64_t requests = args.get_uint("requests", 10);
  const std::string filter = args.get("filter", "rate_limit");
  const std::string user = args.get("user", "");

  host::HostOptions options;
  options.workers = static_cast<uint32_t>(args.get_uint("workers", 1));
  host::Host h(options);
  host::ModuleInfo info;
  if (!h.load_module(module_name, host::LoadOptions{}, &info)) {
    std::cerr << "envoyext-host demo: " << info.error << "\n";
    return 1;
  }
  std::string error;
  auto cfg = h.create_filter_config(module_name, filter, config, error);
  if (!cfg) {
    std::cerr << "envoyext-host demo: " << error << "\n";
    return 1;
  }
  h.add_filter(cfg);

  host::RequestSpec spec;
  spec.headers = {{":method", "GET"}, {":path", route}, {":authority", "demo.local"}, {":scheme", "http"}};
  if (!user.empty()) spec.headers.emplace_back("x-user", user);
  spec.upstream.body = {"ok"};

  std::vector<std::vector<std::string>> rows;
  for (uint64_t i = 0; i < requests; ++i) {
    host::RequestResult r = h.run(spec);  // one after another, like a client in a loop
    std::string status = r.reset                 ? "reset"
                         : r.downstream_response ? std::to_string(r.downstream_response->status)
                                                 : "-";
    rows.push_back(
        {std::to_string(i + 1), status, header_or_dash(r, "x-ratelimit-remaining"), header_or_dash(r, "retry-after")});
  }
  std::cout << "module " << module_name << " (ABI " << info.abi_version << "), filter " << filter << ", route " << route
            << (user.empty() ? "" : ", user " + user) << "\n";
  print_table(std::cout, {"request", "status", "x-ratelimit-remaining", "retry-after"}, rows);
  return 0;
}

}  // namespace envoyext::cli
