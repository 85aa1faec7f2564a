#include "results_table.h"

#include <cstdio>

#include "statistics.h"

namespace envoyext::bench {

namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string with_range(const Spread& s, int decimals) {
  if (s.empty) return "n/a";
  return fixed(s.median, decimals) + " [" + fixed(s.min, decimals) + "–" + fixed(s.max, decimals) + "]";
}

// Per round: f(C# value, baseline value, empty chain value), rounds where f is undefined skipped.
template <typename F>
Spread per_round(const ConfigurationRuns& r, F f) {
  std::vector<double> v;
  for (size_t i = 0; i < r.ns[kBaseline].size(); ++i) {
    double x = 0;
    if (f(r.ns[kCSharp][i], r.ns[kBaseline][i], r.ns[kEmpty][i], x)) v.push_back(x);
  }
  return spread(v);
}

}  // namespace

void print_markdown_table(std::ostream& out, const TableHeader& h, const std::vector<ConfigurationRuns>& runs) {
  std::string pinned = "workers unpinned";
  if (!h.pinned_cpus.empty()) {
    pinned = "worker i pinned to CPU";
    for (size_t i = 0; i < h.pinned_cpus.size(); ++i) pinned += (i ? "," : " ") + std::to_string(h.pinned_cpus[i]);
  }
  out << "ABI host benchmark: " << h.rounds << " rounds x " << h.requests_per_round
      << " requests per chain, chains interleaved per round (empty, baseline: C " << h.c_module
      << " or C# passthrough, C# " << h.cs_module << "); ns = worker CPU time per full stream; " << pinned << ".\n"
      << "Cells: median [min–max] over the rounds; ratios are taken per round.\n\n"
      << "| configuration | workers | baseline | empty chain ns | baseline ns/request | C# ns/request "
         "| baseline filter ns | C# filter ns | C#/baseline request | C#/baseline filter | C# managed bytes/request |\n"
      << "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& r : runs) {
    const Spread empty = spread(r.ns[kEmpty]);
    const Spread base = spread(r.ns[kBaseline]);
    const Spread cs = spread(r.ns[kCSharp]);
    const Spread base_filter = per_round(r, [](double, double b, double e, double& x) {
      x = b - e;
      return true;
    });
    const Spread cs_filter = per_round(r, [](double s, double, double e, double& x) {
      x = s - e;
      return true;
    });
    const Spread ratio = per_round(r, [](double s, double b, double, double& x) {
      x = s / b;
      return b > 0;
    });
    const Spread filter_ratio = per_round(r, [](double s, double b, double e, double& x) {
      x = (s - e) / (b - e);
      return b - e > 0;
    });
    const std::string bytes =
        h.counts_managed_bytes && r.managed_requests > 0
            ? fixed(static_cast<double>(r.managed_bytes) / static_cast<double>(r.managed_requests), 1)
            : "-";
    const char* baseline = r.configuration->baseline == Baseline::C ? "C" : "C# passthrough";
    out << "| " << r.configuration->name << " | " << r.configuration->workers << " | " << baseline << " | "
        << fixed(empty.median, 0) << " | " << with_range(base, 0) << " | " << with_range(cs, 0) << " | "
        << fixed(base_filter.median, 0) << " | " << fixed(cs_filter.median, 0) << " | " << with_range(ratio, 2) << " | "
        << with_range(filter_ratio, 2) << " | " << bytes << " |\n";
  }
}

}  // namespace envoyext::bench
