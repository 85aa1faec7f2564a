// ext_auth_callout in gRPC mode: ext_auth's CheckRequest in one streaming callout (HTTP/2), the
// answer collected from its DATA frames and the call's status from its trailers (or a trailers-only
// header block); the request continues on grpc-status 0 with an OK CheckResponse, else 403.
#include <string_view>

#include "check_request.h"
#include "envoy_callbacks.h"
#include "ext_auth_callout_filter.h"
#include "filter_pool.h"

namespace cbaseline {

namespace {

constexpr std::string_view kCheckPath = "/envoy.service.auth.v3.Authorization/Check";
constexpr size_t kMaxAnswerBytes = 5 + 64 * 1024;  // one framed message of ext_auth's largest answer
constexpr int64_t kNoStatus = -1;

std::string_view name_of(const envoy_dynamic_module_type_envoy_http_header& h) { return {h.key_ptr, h.key_length}; }
std::string_view value_of(const envoy_dynamic_module_type_envoy_http_header& h) {
  return {h.value_ptr, h.value_length};
}

class ExtAuthGrpcCalloutFilter final : public StreamFilter {
 public:
  void reset(const ExtAuthCalloutConfig* config) noexcept {
    config_ = config;
    stream_id_ = 0;
    checking_ = false;
    broken_ = false;
    grpc_status_ = kNoStatus;
    answer_.clear();
  }

  envoy_dynamic_module_type_on_http_filter_request_headers_status on_request_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr fe) noexcept override {
    constexpr auto stop = envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
    if (!write_check_request(fe, config_->headers_to_ext_auth(), request_)) {
      deny(fe);
      return stop;
    }
    const std::string& cluster = config_->cluster();
    const std::string& timeout = config_->grpc_timeout();
    envoy_dynamic_module_type_module_http_header headers[] = {
        {":method", 7, "POST", 4},
        {":path", 5, kCheckPath.data(), kCheckPath.size()},
        {":authority", 10, cluster.data(), cluster.size()},
        {"content-type", 12, "application/grpc", 16},
        {"te", 2, "trailers", 8},
        {"grpc-timeout", 12, timeout.data(), timeout.size()},
    };
    const auto init = envoy.start_http_stream(fe, &stream_id_, {cluster.data(), cluster.size()}, headers,
                                              sizeof headers / sizeof headers[0], {request_.data(), request_.size()},
                                              true, config_->timeout_ms());
    if (init != envoy_dynamic_module_type_http_callout_init_result_Success) {
      deny(fe);
      return stop;
    }
    checking_ = true;
    return stop;
  }

  envoy_dynamic_module_type_on_http_filter_response_headers_status on_response_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr) noexcept override {
    return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;
  }

  void on_http_stream_headers(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t stream_id,
                              const envoy_dynamic_module_type_envoy_http_header* headers,
                              size_t size) noexcept override {
    if (!ours(stream_id)) return;
    bool ok_status = false;
    for (size_t i = 0; i < size; ++i) {
      if (name_of(headers[i]) == ":status") ok_status = value_of(headers[i]) == "200";
    }
    broken_ |= !ok_status;
    read_grpc_status(headers, size);  // a trailers-only answer
  }

  void on_http_stream_data(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t stream_id,
                           const envoy_dynamic_module_type_envoy_buffer* data, size_t count) noexcept override {
    if (!ours(stream_id) || broken_) return;
    for (size_t i = 0; i < count; ++i) {
      if (answer_.size() + data[i].length > kMaxAnswerBytes) {
        broken_ = true;
        return;
      }
      answer_.append(data[i].ptr, data[i].length);
    }
  }

  void on_http_stream_trailers(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t stream_id,
                               const envoy_dynamic_module_type_envoy_http_header* trailers,
                               size_t size) noexcept override {
    if (ours(stream_id)) read_grpc_status(trailers, size);
  }

  void on_http_stream_complete(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                               uint64_t stream_id) noexcept override {
    if (!ours(stream_id)) return;
    checking_ = false;
    if (!broken_ && grpc_status_ == 0 && check_response_allows(answer_)) {
      envoy.continue_decoding(fe);
    } else {
      deny(fe);
    }
  }

  void on_http_stream_reset(envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t stream_id) noexcept override {
    if (!ours(stream_id)) return;
    checking_ = false;
    deny(fe);
  }

  void release() noexcept override;

 private:
  bool ours(uint64_t stream_id) const { return checking_ && stream_id == stream_id_; }

  void read_grpc_status(const envoy_dynamic_module_type_envoy_http_header* headers, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      if (name_of(headers[i]) != "grpc-status") continue;
      const std::string_view v = value_of(headers[i]);
      int64_t code = v.empty() ? 2 : 0;  // UNKNOWN when not a number
      for (char c : v) {
        if (c < '0' || c > '9' || code > 1000) {
          code = 2;
          break;
        }
        code = code * 10 + (c - '0');
      }
      grpc_status_ = code;
    }
  }

  static void deny(envoy_dynamic_module_type_http_filter_envoy_ptr fe) noexcept {
    envoy.send_response(fe, 403, nullptr, 0, {nullptr, 0}, {"ext_auth_error", 14});
  }

  const ExtAuthCalloutConfig* config_ = nullptr;
  uint64_t stream_id_ = 0;
  bool checking_ = false;
  bool broken_ = false;
  int64_t grpc_status_ = kNoStatus;
  // Kept with the pooled object, so their capacity is reused from stream to stream.
  std::string request_;
  std::string answer_;
};

thread_local FilterPool<ExtAuthGrpcCalloutFilter> pool;

void ExtAuthGrpcCalloutFilter::release() noexcept { pool.release(this); }

}  // namespace

StreamFilter* new_grpc_callout_filter(const ExtAuthCalloutConfig* config) noexcept {
  ExtAuthGrpcCalloutFilter* f = pool.acquire();
  if (f == nullptr) return nullptr;
  f->reset(config);
  return f;
}

}  // namespace cbaseline
