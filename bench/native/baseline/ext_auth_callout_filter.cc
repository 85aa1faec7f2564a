#include "ext_auth_callout_filter.h"

#include "filter_pool.h"

#include <nlohmann/json.hpp>

#include "envoy_callbacks.h"

namespace cbaseline {

namespace {
using nlohmann::json;

[[noreturn]] void fail(const std::string& field, const std::string& why) { throw ConfigError{field + ": " + why}; }

envoy_dynamic_module_type_module_buffer buffer(const std::string& s) noexcept { return {s.data(), s.size()}; }

constexpr auto kRequest = envoy_dynamic_module_type_http_header_type_RequestHeader;

class ExtAuthCalloutFilter final : public StreamFilter {
 public:
  void reset(ExtAuthCalloutConfig* config) noexcept {
    config_ = config;
    callout_id_ = 0;
    checking_ = false;
  }

  envoy_dynamic_module_type_on_http_filter_request_headers_status on_request_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr fe) noexcept override {
    envoy_dynamic_module_type_module_http_header headers[ExtAuthCalloutConfig::kMaxCheckHeaders];
    size_t n = 0;
    add(fe, ":method", 7, 0, headers, n);
    add(fe, ":path", 5, 0, headers, n);
    add(fe, ":authority", 10, 0, headers, n);
    for (const std::string& name : config_->copied_headers()) {
      if (n == ExtAuthCalloutConfig::kMaxCheckHeaders) break;
      size_t count = 0;
      envoy_dynamic_module_type_envoy_buffer first{};
      if (!envoy.get_header(fe, kRequest, buffer(name), &first, 0, &count)) continue;
      headers[n++] = {name.data(), name.size(), first.ptr, first.length};
      for (size_t i = 1; i < count && n < ExtAuthCalloutConfig::kMaxCheckHeaders; ++i) add(fe, name, i, headers, n);
    }
    const auto init = envoy.http_callout(fe, &callout_id_, buffer(config_->cluster()), headers, n, {nullptr, 0},
                                         config_->timeout_ms());
    if (init != envoy_dynamic_module_type_http_callout_init_result_Success) {
      deny(fe);
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
    }
    checking_ = true;
    return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
  }

  envoy_dynamic_module_type_on_http_filter_response_headers_status on_response_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr) noexcept override {
    return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;
  }

  void on_http_callout_done(envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t callout_id,
                            envoy_dynamic_module_type_http_callout_result result,
                            const envoy_dynamic_module_type_envoy_http_header* headers,
                            size_t headers_size) noexcept override {
    if (!checking_ || callout_id != callout_id_) return;
    checking_ = false;
    // ":status" comes first; "2xx" allows.
    const bool allowed = result == envoy_dynamic_module_type_http_callout_result_Success && headers_size > 0 &&
                         headers[0].key_length == 7 && headers[0].value_length == 3 && headers[0].value_ptr[0] == '2';
    if (allowed) {
      envoy.continue_decoding(fe);
    } else {
      deny(fe);
    }
  }

  void release() noexcept override;

 private:
  // Appends value `index` of request header `name`, when there is one.
  static void add(envoy_dynamic_module_type_http_filter_envoy_ptr fe, const char* name, size_t length, size_t index,
                  envoy_dynamic_module_type_module_http_header* headers, size_t& n) noexcept {
    envoy_dynamic_module_type_envoy_buffer value{};
    if (envoy.get_header(fe, kRequest, {name, length}, &value, index, nullptr)) {
      headers[n++] = {name, length, value.ptr, value.length};
    }
  }
  static void add(envoy_dynamic_module_type_http_filter_envoy_ptr fe, const std::string& name, size_t index,
                  envoy_dynamic_module_type_module_http_header* headers, size_t& n) noexcept {
    add(fe, name.data(), name.size(), index, headers, n);
  }

  static void deny(envoy_dynamic_module_type_http_filter_envoy_ptr fe) noexcept {
    envoy.send_response(fe, 403, nullptr, 0, {nullptr, 0}, {"ext_auth_error", 14});
  }

  ExtAuthCalloutConfig* config_ = nullptr;
  uint64_t callout_id_ = 0;
  bool checking_ = false;
};

thread_local FilterPool<ExtAuthCalloutFilter> pool;

void ExtAuthCalloutFilter::release() noexcept { pool.release(this); }

}  // namespace

ExtAuthCalloutConfig::ExtAuthCalloutConfig(const std::string& text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    fail("(document)", std::string("invalid JSON: ") + e.what());
  }
  if (!doc.is_object()) fail("(document)", "expected an object");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "cluster" && it.key() != "protocol" && it.key() != "timeoutMs" && it.key() != "headersToExtAuth") {
      fail(it.key(), "unknown field (the bare callout reads cluster, protocol, timeoutMs and headersToExtAuth only)");
    }
  }
  auto cluster = doc.find("cluster");
  if (cluster == doc.end() || !cluster->is_string() || cluster->get<std::string>().empty()) {
    fail("cluster", "expected a non-empty string");
  }
  cluster_ = cluster->get<std::string>();
  if (auto p = doc.find("protocol"); p != doc.end()) {
    if (!p->is_string() || (*p != "http" && *p != "grpc")) fail("protocol", "expected \"http\" or \"grpc\"");
    grpc_ = *p == "grpc";
  }
  if (auto t = doc.find("timeoutMs"); t != doc.end()) {
    if (!t->is_number_unsigned() || t->get<uint64_t>() < 1 || t->get<uint64_t>() > 60000) {
      fail("timeoutMs", "expected an integer between 1 and 60000");
    }
    timeout_ms_ = t->get<uint64_t>();
  }
  grpc_timeout_ = std::to_string(timeout_ms_) + "m";
  copied_headers_.push_back("authorization");
  if (auto h = doc.find("headersToExtAuth"); h != doc.end()) {
    if (!h->is_array() || h->size() > kMaxHeadersToExtAuth) {
      fail("headersToExtAuth", "expected an array of at most " + std::to_string(kMaxHeadersToExtAuth) + " names");
    }
    for (size_t i = 0; i < h->size(); ++i) {
      const json& name = (*h)[i];
      if (!name.is_string() || name.get<std::string>().empty()) {
        fail("headersToExtAuth[" + std::to_string(i) + "]", "expected a non-empty string");
      }
      copied_headers_.push_back(name.get<std::string>());
      headers_to_ext_auth_.push_back(name.get<std::string>());
    }
  }
}

StreamFilter* ExtAuthCalloutConfig::new_filter() noexcept {
  if (grpc_) return new_grpc_callout_filter(this);
  ExtAuthCalloutFilter* f = pool.acquire();
  if (f == nullptr) return nullptr;
  f->reset(this);
  return f;
}

}  // namespace cbaseline
