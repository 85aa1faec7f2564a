// ext_auth_callout: the bare HTTP callout round trip that ext_auth's HTTP mode is measured against.
// Per request it builds the check request ext_auth sends (the request's :method, :path and
// :authority, every `authorization` value and every value of the configured headersToExtAuth), sends
// it to the cluster with one HTTP callout, stops iteration, and on a 2xx answer continues the
// request; anything else (a non-2xx status, a reset, a callout that cannot start) ends the stream
// with 403. It has none of ext_auth's other work: no per-route settings, no metrics, no latency
// histogram, no header checks or copies from the answer.
#pragma once

#include <string>
#include <vector>

#include "filter.h"

namespace cbaseline {

class ExtAuthCalloutConfig final : public FilterConfig {
 public:
  // Reads ext_auth's own fields `cluster` (required), `timeoutMs` and `headersToExtAuth`; any other
  // field is a ConfigError naming it (the baseline does no more than the bare callout).
  explicit ExtAuthCalloutConfig(const std::string& json);

  StreamFilter* new_filter() noexcept override;

  static constexpr size_t kMaxHeadersToExtAuth = 64;
  // Check-request headers a stream sends at most: 3 pseudo-headers plus the copied values.
  static constexpr size_t kMaxCheckHeaders = 128;

  const std::string& cluster() const { return cluster_; }
  uint64_t timeout_ms() const { return timeout_ms_; }
  // "authorization" first, then headersToExtAuth.
  const std::vector<std::string>& copied_headers() const { return copied_headers_; }

 private:
  std::string cluster_;
  uint64_t timeout_ms_ = 200;
  std::vector<std::string> copied_headers_;
};

}  // namespace cbaseline
