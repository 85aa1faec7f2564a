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

namespace {
// Length-prefixed concatenation: unambiguous for any bytes in label values.
void encode_key(std::string& out, const std::string_view* values, size_t n) {
  out.clear();
  for (size_t i = 0; i < n; ++i) {
    const uint32_t len = static_cast<uint32_t>(values[i].size());
    out.append(reinterpret_cast<const char*>(&len), sizeof len);
    out.append(values[i].data(), values[i].size());
  }
}
}  // namespace

Metric::Cell& Metric::cell(const std::string_view* label_values, size_t n) {
  if (n == 0) return unlabelled_;
  thread_local std::string key;
  encode_key(key, label_values, n);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = cells_.find(key);
  if (it != cells_.end()) return *it->second;
  auto fresh = std::make_unique<Cell>();
  for (size_t i = 0; i < n; ++i) fresh->labels.emplace_back(label_values[i]);
  Cell* raw = fresh.get();
  cells_.emplace(key, std::move(fresh));
  order_.push_back(raw);
  return *raw;
}

void Metric::apply(Op op, const std::string_view* label_values, size_t n, uint64_t value) {
  Cell& c = cell(label_values, n);
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
  std::vector<std::string_view> views(label_values.begin(), label_values.end());
  std::string key;
  encode_key(key, views.data(), views.size());
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = cells_.find(key);
  return it == cells_.end() ? 0 : it->second->value.load();
}

void Metric::collect(std::vector<MetricSample>& out) const {
  // A metric without labels is always reported (Envoy shows defined stats at 0).
  if (label_names_.empty()) {
    out.push_back(MetricSample{kind_, name_, {}, unlabelled_.value.load(), unlabelled_.count.load()});
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (const Cell* c : order_) {
    MetricSample s{kind_, name_, {}, c->value.load(), c->count.load()};
    for (size_t i = 0; i < label_names_.size() && i < c->labels.size(); ++i)
      s.labels.emplace_back(label_names_[i], c->labels[i]);
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
