// The benchmark's one Markdown table: per configuration the baseline's (C, or C# passthrough) and the
// C# filter's cost per request (median and [min-max] over the rounds), the filter's own cost (minus
// the same round's empty chain), the per-round C#/baseline ratios, and the C# runtime's allocated
// bytes per request.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "configurations.h"

namespace envoyext::bench {

enum Variant { kEmpty = 0, kBaseline = 1, kCSharp = 2 };

struct ConfigurationRuns {
  const Configuration* configuration = nullptr;
  std::array<std::vector<double>, 3> ns;  // per Variant, one value per round
  uint64_t managed_bytes = 0;
  uint64_t managed_requests = 0;
};

struct TableHeader {
  uint64_t rounds;
  uint64_t requests_per_round;
  std::vector<int> pinned_cpus;
  bool counts_managed_bytes;
  std::string c_module, cs_module;
};

void print_markdown_table(std::ostream& out, const TableHeader& header, const std::vector<ConfigurationRuns>& runs);

}  // namespace envoyext::bench
