#include <fstream>
#include <iostream>
#include <sstream>

#include "arguments.h"
#include "commands.h"
#include "scenario.h"

namespace envoyext::cli {

int run_command(int argc, char** argv) {
  if (argc != 3) throw UsageError("expected exactly one scenario file (or - for stdin)");
  std::string path = argv[2];
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
    std::cout << host::run_scenario(scenario).dump(2) << std::endl;
  } catch (const host::ScenarioError& e) {
    std::cerr << "envoyext-host run: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace envoyext::cli
