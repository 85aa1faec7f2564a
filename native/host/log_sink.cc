#include "log_sink.h"

#include <cstdio>
#include <cstdlib>

namespace envoyext::host {

namespace {
const char* const kNames[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
}

const char* log_level_name(int level) { return level >= 0 && level <= 6 ? kNames[level] : "unknown"; }

int parse_log_level(const std::string& name, int fallback) {
  for (int i = 0; i <= 6; ++i) {
    if (name == kNames[i]) return i;
  }
  return fallback;
}

LogSink::LogSink() {
  const char* lvl = std::getenv("ENVOYEXT_HOST_LOG_LEVEL");
  level_ = parse_log_level(lvl ? lvl : "", 2 /* info, Envoy's default */);
  const char* echo = std::getenv("ENVOYEXT_HOST_LOG_ECHO");
  echo_level_ = parse_log_level(echo ? echo : "", 3 /* warn */);
}

void LogSink::write(int level, std::string message) {
  if (level < level_ || level >= 6) return;
  if (level >= echo_level_) std::fprintf(stderr, "[%s][dynamic_modules] %s\n", log_level_name(level), message.c_str());
  std::lock_guard<std::mutex> lock(mutex_);
  if (records_.size() >= kMaxRecords) {
    ++dropped_;
    return;
  }
  records_.push_back(LogRecord{level, std::move(message)});
}

std::vector<LogRecord> LogSink::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto out = records_;
  if (dropped_ > 0) out.push_back(LogRecord{3, std::to_string(dropped_) + " more log lines dropped"});
  return out;
}

}  // namespace envoyext::host
