// envoyext-host: runs dynamic modules the way Envoy 1.40 does, without Envoy.
#include <cstring>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "crash_signals.h"

namespace {
void usage() {
  std::cerr << "usage:\n"
               "  envoyext-host run <scenario.json | ->\n"
               "  envoyext-host bench --module <name> --filter <filter_name|none> --config <json>\n"
               "                      [--requests N] [--workers W] [--warmup N]\n"
               "  envoyext-host demo --module <name> --config <json> --route <path> --requests N\n"
               "                     [--user X] [--filter rate_limit] [--workers W]\n"
               "Modules are found as Envoy finds them: $ENVOY_DYNAMIC_MODULES_SEARCH_PATH/lib<name>.so.\n";
}
}  // namespace

int main(int argc, char** argv) {
  // Like Envoy: our fatal-signal handlers exist before any module (and its runtime) is loaded.
  envoyext::host::install_crash_handlers();
  if (argc < 2) {
    usage();
    return 2;
  }
  try {
    if (std::strcmp(argv[1], "run") == 0) return envoyext::cli::run_command(argc, argv);
    if (std::strcmp(argv[1], "bench") == 0) return envoyext::cli::bench_command(argc, argv);
    if (std::strcmp(argv[1], "demo") == 0) return envoyext::cli::demo_command(argc, argv);
  } catch (const envoyext::cli::UsageError& e) {
    std::cerr << "envoyext-host " << argv[1] << ": " << e.what() << "\n";
    usage();
    return 2;
  }
  usage();
  return 2;
}
