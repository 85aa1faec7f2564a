// ext_auth_callout: the bare callout round trip that ext_auth is measured against, in ext_auth's two
// protocols. HTTP (the default): per request it builds the check request ext_auth sends (the
// request's :method, :path and :authority, every `authorization` value and every value of the
// configured headersToExtAuth), sends it to the cluster with one HTTP callout, stops iteration, and
// on a 2xx answer continues the request. gRPC (`"protocol": "grpc"`, ext_auth_grpc_callout_filter.cc):
// the same CheckRequest ext_auth writes (check_request.h) in one streaming callout with ext_auth's
// gRPC headers, and the request continues when the call ends with grpc-status 0 and an OK
// CheckResponse. Anything else (a denial, a reset, a callout that cannot start) ends the stream with
// 403. It has none of ext_auth's other work: no per-route settings, no metrics, no latency histogram,
// no header checks, copies or mutations from the answer, no dynamic metadata.
#pragma once

#include <string>
#include <vector>

#include "filter.h"

namespace cbaseline {

class ExtAuthCalloutConfig final : public FilterConfig {
 public:
  // Reads ext_auth's own fields `cluster` (required), `protocol` ("http" or "grpc"), `timeoutMs` and
  // `headersToExtAuth`; any other field is a ConfigError naming it (the baseline does no more than
  // the bare callout).
  explicit ExtAuthCalloutConfig(const std::string& json);

  StreamFilter* new_filter() noexcept override;

  static constexpr size_t kMaxHeadersToExtAuth = 64;
  // Check-request headers a stream sends at most: 3 pseudo-headers plus the copied values.
  static constexpr size_t kMaxCheckHeaders = 128;

  const std::string& cluster() const { return cluster_; }
  bool grpc() const { return grpc_; }
  uint64_t timeout_ms() const { return timeout_ms_; }
  // gRPC's grpc-timeout header value: timeoutMs in milliseconds ("200m").
  const std::string& grpc_timeout() const { return grpc_timeout_; }
  // HTTP: "authorization" first, then headersToExtAuth.
  const std::vector<std::string>& copied_headers() const { return copied_headers_; }
  // gRPC: headersToExtAuth alone (empty: every request header goes into the CheckRequest).
  const std::vector<std::string>& headers_to_ext_auth() const { return headers_to_ext_auth_; }

 private:
  std::string cluster_;
  bool grpc_ = false;
  uint64_t timeout_ms_ = 200;
  std::string grpc_timeout_;
  std::vector<std::string> copied_headers_;
  std::vector<std::string> headers_to_ext_auth_;
};

// The gRPC mode's per-stream filter (ext_auth_grpc_callout_filter.cc), from its worker's pool.
StreamFilter* new_grpc_callout_filter(const ExtAuthCalloutConfig* config) noexcept;

}  // namespace cbaseline
