#include "metrics_registry.h"

namespace envoyext::host {

const char* metric_kind_name(MetricKind kind) {
  switch (kind) {
    case MetricKind::Counter:
      return "counter";
    case MetricKind::Gauge:
      return "gauge";
    case MetricKind::Histogram:
      return "histogram";
  }
  return "unknown";
}

Metric::Cell& Metric::cell(const std::vector<std::string>& label_values) {
  if (label_values.empty()) return unlabelled_;
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = cells_[label_values];
  if (!slot) slot = std::make_unique<Cell>();
  return *slot;
}

void Metric::apply(Op op, const std::vector<std::string>& label_values, uint64_t value) {
  Cell& c = cell(label_values);
  switch (op) {
    case Op::Add:
      c.value.fetch_add(value, std::memory_order_relaxed);
      break;
    case Op::Subtract:
      c.value.fetch_sub(value, std::memory_order_relaxed);
      break;
    case Op::Set:
      c.value.store(value, std::memory_order_relaxed);
      break;
    case Op::Record:
      c.value.fetch_add(value, std::memory_order_relaxed);
      c.count.fetch_add(1, std::memory_order_relaxed);
      break;
  }
}

uint64_t Metric::value(const std::vector<std::string>& label_values) const {
  if (label_values.empty()) return unlabelled_.value.load();
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = cells_.find(label_values);
  return it == cells_.end() ? 0 : it->second->value.load();
}

void Metric::collect(std::vector<MetricSample>& out) const {
  // A metric without labels is always reported (Envoy shows defined stats at 0).
  if (label_names_.empty()) {
    out.push_back(MetricSample{kind_, name_, {}, unlabelled_.value.load(), unlabelled_.count.load()});
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [values, c] : cells_) {
    MetricSample s{kind_, name_, {}, c->value.load(), c->count.load()};
    for (size_t i = 0; i < label_names_.size() && i < values.size(); ++i) s.labels.emplace_back(label_names_[i], values[i]);
    out.push_back(std::move(s));
  }
}

Metric* MetricsRegistry::define(MetricKind kind, const std::string& name, std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& m : metrics_) {
    if (m->kind() == kind && m->name() == name) return m.get();
  }
  metrics_.push_back(std::make_unique<Metric>(kind, name, std::move(label_names)));
  return metrics_.back().get();
}

Metric* MetricsRegistry::find(MetricKind kind, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& m : metrics_) {
    if (m->kind() == kind && m->name() == name) return m.get();
  }
  return nullptr;
}

std::vector<MetricSample> MetricsRegistry::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<MetricSample> out;
  for (const auto& m : metrics_) m->collect(out);
  return out;
}

}  // namespace envoyext::host
