// envoyext-host: runs a scenario through dynamic modules the way Envoy 1.40 does, without Envoy.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "crash_signals.h"
#include "scenario.h"

namespace {
int usage() {
  std::cerr << "usage: envoyext-host run <scenario.json | ->\n"
               "Modules are found as Envoy finds them: $ENVOY_DYNAMIC_MODULES_SEARCH_PATH/lib<name>.so.\n";
  return 2;
}

int run_command(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path);
    if (!in) {
      std::cerr << "envoyext-host run: cannot read " << path << "\n";
      return 2;
    }
    text << in.rdbuf();
  }
  nlohmann::json scenario;
  try {
    scenario = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "envoyext-host run: " << path << " is not valid JSON: " << e.what() << "\n";
    return 2;
  }
  try {
    std::cout << envoyext::host::run_scenario(scenario).dump(2) << std::endl;
  } catch (const envoyext::host::ScenarioError& e) {
    std::cerr << "envoyext-host run: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  // Like Envoy: our fatal-signal handlers exist before any module (and its runtime) is loaded.
  envoyext::host::install_crash_handlers();
  if (argc != 3 || std::string(argv[1]) != "run") return usage();
  return run_command(argv[2]);
}
