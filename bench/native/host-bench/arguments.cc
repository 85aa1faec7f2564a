#include "arguments.h"

#include <cstdlib>

namespace envoyext::bench {

Arguments::Arguments(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "'");
    if (i + 1 >= argc) throw UsageError("option " + a + " needs a value");
    values_[a.substr(2)] = argv[++i];
  }
}

std::string Arguments::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::string Arguments::require(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw UsageError("missing required option --" + name);
  return it->second;
}

uint64_t Arguments::get_uint(const std::string& name, uint64_t fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  char* end = nullptr;
  unsigned long long v = std::strtoull(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || it->second[0] == '-')
    throw UsageError("option --" + name + " expects a non-negative integer, got '" + it->second + "'");
  return v;
}

}  // namespace envoyext::bench
