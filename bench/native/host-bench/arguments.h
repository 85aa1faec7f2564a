// "--name value" option parsing, with errors that name the option.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace envoyext::bench {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Arguments {
 public:
  Arguments(int argc, char** argv, int first);
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback) const;
  std::string require(const std::string& name) const;
  uint64_t get_uint(const std::string& name, uint64_t fallback) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace envoyext::bench
