// Where module log lines go: kept in memory for tests and the result JSON, echoed to stderr when at or
// above the echo level (ENVOYEXT_HOST_LOG_ECHO, default "warn") so a human sees problems.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace envoyext::host {

struct LogRecord {
  int level;  // envoy_dynamic_module_type_log_level
  std::string message;
};

const char* log_level_name(int level);
int parse_log_level(const std::string& name, int fallback);

class LogSink {
 public:
  LogSink();
  void write(int level, std::string message);
  std::vector<LogRecord> snapshot() const;
  static constexpr size_t kMaxRecords = 10000;
  // Threshold below which module logs are dropped (log_enabled answers against it).
  int level() const { return level_; }
  void set_level(int level) { level_ = level; }

 private:
  mutable std::mutex mutex_;
  std::vector<LogRecord> records_;  // bounded: a chatty module in a benchmark must not grow it forever
  size_t dropped_ = 0;
  int level_;
  int echo_level_;
};

}  // namespace envoyext::host
