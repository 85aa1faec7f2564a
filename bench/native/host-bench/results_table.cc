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

std::string baseline_label(const Configuration& c) {
  switch (c.baseline) {
    case Baseline::C:
      return "C";
    case Baseline::Passthrough:
      return "C# passthrough";
    case Baseline::CSharp:
      return "C# " + c.baseline_name;
    case Baseline::CTwin:
      return "C " + c.baseline_name;
  }
  return "?";
}

// Streams that waited for a later event (e.g. a lease from Redis) and any that timed out, per chain.
std::string waits(const ConfigurationRuns& r) {
  std::string out;
  const char* names[] = {"empty", "baseline", "C#"};
  for (size_t v = 0; v < 3; ++v) {
    if (r.waited[v] == 0 && r.timed_out[v] == 0) continue;
    out += std::string(out.empty() ? "" : "; ") + names[v] + " " + std::to_string(r.waited[v]);
    if (r.timed_out[v] != 0) out += " (" + std::to_string(r.timed_out[v]) + " timed out)";
  }
  return out.empty() ? "0" : out;
}

// Per round: the C# chain's requests/s over the baseline's.
Spread rps_ratio(const ConfigurationRuns& r) {
  std::vector<double> v;
  const auto& base = r.requests_per_second[kBaseline];
  const auto& cs = r.requests_per_second[kCSharp];
  for (size_t i = 0; i < base.size() && i < cs.size(); ++i) {
    if (base[i] > 0) v.push_back(cs[i] / base[i]);
  }
  return spread(v);
}

// The bursts of chains that run no C# code (every empty chain, and the C baselines) measure what the
// runtime allocates in the background (other threads: a Redis client's timers and socket reads,
// thread-pool threads starting or retiring) at the same time as any C# burst would. A C# burst
// above 0 in a run where these are not 0 may hold such work; a steady-state allocation on the
// request path shows in every round (the median), background work in a few.
void print_background_bytes(std::ostream& out, const std::vector<ConfigurationRuns>& runs) {
  uint64_t bytes = 0, bursts = 0, hit = 0;
  for (const auto& r : runs) {
    const bool c_baseline = r.configuration->baseline == Baseline::C || r.configuration->baseline == Baseline::CTwin;
    for (size_t v : {size_t{kEmpty}, size_t{kBaseline}}) {
      if (v == kBaseline && !c_baseline) continue;
      bytes += r.managed_bytes[v];
      for (double b : r.managed_bytes_per_request[v]) {
        ++bursts;
        hit += b > 0 ? 1 : 0;
      }
    }
  }
  out << "\nManaged bytes allocated while no C# filter ran (bursts of the empty chains and C baselines): " << bytes
      << " in " << hit << " of " << bursts << " bursts.\n";
}

void print_latency_table(std::ostream& out, const std::vector<ConfigurationRuns>& runs) {
  bool any = false;
  for (const auto& r : runs) any |= r.configuration->workers > 1;
  if (!any) return;
  out << "\nMulti-worker configurations: one request in flight per worker (the next starts when the previous "
         "completed); requests/s = all workers' requests over the burst's wall time; latency = stream start to "
         "completion, p50/p99 over all workers' requests of the round. Cells: median [min–max] over the rounds.\n\n"
      << "| configuration | workers | chain | requests/s | p50 ns | p99 ns | p99 over empty chain ns "
         "| C#/baseline requests/s |\n"
      << "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& r : runs) {
    if (r.configuration->workers <= 1) continue;
    const std::string names[] = {"empty", baseline_label(*r.configuration), "C# " + r.configuration->filter};
    for (size_t v = 0; v < 3; ++v) {
      std::vector<double> added;
      for (size_t i = 0; i < r.p99_ns[v].size() && i < r.p99_ns[kEmpty].size(); ++i) {
        added.push_back(r.p99_ns[v][i] - r.p99_ns[kEmpty][i]);
      }
      out << "| " << r.configuration->name << " | " << r.configuration->workers << " | " << names[v] << " | "
          << with_range(spread(r.requests_per_second[v]), 0) << " | " << with_range(spread(r.p50_ns[v]), 0) << " | "
          << with_range(spread(r.p99_ns[v]), 0) << " | " << (v == kEmpty ? "-" : with_range(spread(added), 0)) << " | "
          << (v == kCSharp ? with_range(rps_ratio(r), 3) : "") << " |\n";
    }
  }
}

// For configurations against a C twin filter (a C# filter against the least work its job takes,
// e.g. ext_auth against the bare callout): what the C# filter adds, taken per round, since the two
// chains share a large and noisy common part (the callout round trip) that the difference cancels.
void print_added_table(std::ostream& out, const std::vector<ConfigurationRuns>& runs) {
  bool any = false;
  for (const auto& r : runs) any |= r.configuration->baseline == Baseline::CTwin;
  if (!any) return;
  out << "\nAgainst a C twin filter: C# ns/request minus the baseline's, per round (median [min–max]); the "
         "baseline's own ns (minus the empty chain) for scale.\n\n"
      << "| configuration | baseline | baseline filter ns | C# added ns |\n"
      << "| --- | --- | ---: | ---: |\n";
  for (const auto& r : runs) {
    if (r.configuration->baseline != Baseline::CTwin) continue;
    const Spread added = per_round(r, [](double s, double b, double, double& x) {
      x = s - b;
      return true;
    });
    const Spread base_filter = per_round(r, [](double, double b, double e, double& x) {
      x = b - e;
      return true;
    });
    out << "| " << r.configuration->name << " | " << baseline_label(*r.configuration) << " | "
        << with_range(base_filter, 0) << " | " << with_range(added, 0) << " |\n";
  }
}

}  // namespace

void print_markdown_table(std::ostream& out, const TableHeader& h, const std::vector<ConfigurationRuns>& runs) {
  std::string pinned = "workers unpinned";
  if (!h.pinned_cpus.empty()) {
    pinned = "worker i pinned to CPU";
    for (size_t i = 0; i < h.pinned_cpus.size(); ++i) pinned += (i ? "," : " ") + std::to_string(h.pinned_cpus[i]);
  }
  out << "ABI host benchmark: " << h.rounds << " rounds x " << h.requests_per_round
      << " requests per chain (unless a configuration sets its own), chains interleaved per round (empty, baseline: C "
      << h.c_module << ", C# passthrough or a C# twin configuration, C# " << h.cs_module
      << "); ns = worker CPU time per full stream; " << pinned << ".\n"
      << "Cells: median [min–max] over the rounds; ratios are taken per round. Waited: streams that stopped and "
         "completed on a later event (a Global rule's lease), over all rounds.\n";
  for (const auto& s : h.skipped) out << "Skipped: " << s << "\n";
  out << "\n"
      << "| configuration | workers | baseline | empty chain ns | baseline ns/request | C# ns/request "
         "| baseline filter ns | C# filter ns | C#/baseline request | C#/baseline filter | C# managed bytes/request "
         "| waited |\n"
      << "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
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
        h.counts_managed_bytes ? with_range(spread(r.managed_bytes_per_request[kCSharp]), 1) : "-";
    out << "| " << r.configuration->name << " | " << r.configuration->workers << " | "
        << baseline_label(*r.configuration) << " | " << fixed(empty.median, 0) << " | " << with_range(base, 0) << " | "
        << with_range(cs, 0) << " | " << fixed(base_filter.median, 0) << " | " << fixed(cs_filter.median, 0) << " | "
        << with_range(ratio, 2) << " | " << with_range(filter_ratio, 2) << " | " << bytes << " | " << waits(r)
        << " |\n";
  }
  if (h.counts_managed_bytes) print_background_bytes(out, runs);
  print_added_table(out, runs);
  print_latency_table(out, runs);
}

}  // namespace envoyext::bench
