// The benchmark's Markdown tables. The cost table: per configuration the baseline's (C, C#
// passthrough, or a C# twin configuration) and the C# filter's cost per request (median and
// [min-max] over the rounds), the filter's own cost (minus the same round's empty chain), the
// per-round C#/baseline ratios, and the C# runtime's allocated bytes per request (median and
// [min-max] over the rounds), followed by what the runtime allocated while chains without C# code
// ran (background work, not any filter's request path). The latency table,
// for the multi-worker configurations: requests/s and per-request p50/p99 of each chain, and the
// C# chain's p99 over the empty chain's (the latency the filter adds). The added table, for the
// configurations against a C twin filter: the C# filter's ns over the baseline's, per round.
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
  uint64_t requests_per_round = 0;
  std::array<std::vector<double>, 3> ns;  // per Variant, one value per round
  // Multi-worker configurations: per Variant, one value per round.
  std::array<std::vector<double>, 3> requests_per_second, p50_ns, p99_ns;
  // Per Variant: the C# runtime's allocated bytes per request of each round's burst, and their sum
  // in bytes over the rounds (empty when the module has no allocation probe).
  std::array<std::vector<double>, 3> managed_bytes_per_request;
  std::array<uint64_t, 3> managed_bytes{};
  std::array<uint64_t, 3> waited{}, timed_out{};  // per Variant, over the measured rounds
};

struct TableHeader {
  uint64_t rounds;
  uint64_t requests_per_round;
  std::vector<int> pinned_cpus;
  bool counts_managed_bytes;
  std::string c_module, cs_module;
  std::vector<std::string> skipped;  // configurations not run, with the reason
};

void print_markdown_table(std::ostream& out, const TableHeader& header, const std::vector<ConfigurationRuns>& runs);

}  // namespace envoyext::bench
