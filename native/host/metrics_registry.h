// The host's stats store. Modules define metrics during config_new and update them per stream; tests
// and the CLI read them back. Like Envoy, a metric is identified by (kind, name): two filter configs
// that define the same name share one stat.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace envoyext::host {

enum class MetricKind { Counter, Gauge, Histogram };
const char* metric_kind_name(MetricKind kind);

struct MetricSample {
  MetricKind kind;
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // (label name, label value)
  uint64_t value;                                           // counter/gauge value; histogram: sum of recorded values
  uint64_t count;                                           // histogram: number of recorded values; counter/gauge: 0
};

class Metric {
 public:
  Metric(MetricKind kind, std::string name, std::vector<std::string> label_names)
      : kind_(kind), name_(std::move(name)), label_names_(std::move(label_names)) {}
  MetricKind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  enum class Op { Add, Subtract, Set, Record };
  // `n` must equal label_names().size() (the caller checks). No allocation once a label
  // combination has been seen: the lookup key is built in a thread-local buffer.
  void apply(Op op, const std::string_view* label_values, size_t n, uint64_t value);
  void collect(std::vector<MetricSample>& out) const;
  // Value for one label combination; 0 if never touched.
  uint64_t value(const std::vector<std::string>& label_values) const;

 private:
  struct Cell {
    std::atomic<uint64_t> value{0};
    std::atomic<uint64_t> count{0};
    std::vector<std::string> labels;
  };
  Cell& cell(const std::string_view* label_values, size_t n);

  MetricKind kind_;
  std::string name_;
  std::vector<std::string> label_names_;
  Cell unlabelled_;  // lock-free path for metrics without labels
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Cell>> cells_;  // key: length-prefixed values
  std::vector<Cell*> order_;                                      // first-use order, for stable reports
};

class MetricsRegistry {
 public:
  // Returns the existing metric when (kind, name) is already defined.
  Metric* define(MetricKind kind, const std::string& name, std::vector<std::string> label_names);
  Metric* find(MetricKind kind, const std::string& name) const;
  std::vector<MetricSample> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Metric>> metrics_;
};

}  // namespace envoyext::host
