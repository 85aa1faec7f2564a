// CEL-style attributes. String views point into the stream (headers or its scratch string) and are
// valid until the hook returns. Unsupported ids answer false, as Envoy does for absent values.
#include <cstdlib>
#include <string>

#include "callback_support.h"
#include "filter_config.h"
#include "host.h"

using namespace envoyext::host;

namespace {

const std::string* request_header(Stream* s, const char* key) {
  HeaderMap* m = s->header_map(envoy_dynamic_module_type_http_header_type_RequestHeader);
  return m ? m->get(key) : nullptr;
}

bool split_host_port(const std::string& address, std::string& ip, uint64_t& port) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  ip = address.substr(0, colon);
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  port = std::strtoull(address.c_str() + colon + 1, nullptr, 10);
  return true;
}

bool answer(Stream* s, const std::string& value, envoy_dynamic_module_type_envoy_buffer* out) {
  s->scratch() = value;
  *out = envoy_view(s->scratch());
  return true;
}

}  // namespace

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_filter_get_attribute_string(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_attribute_id id,
    envoy_dynamic_module_type_envoy_buffer* out) {
  Stream* s = live_stream(fe);
  if (s == nullptr || out == nullptr) return false;
  *out = {nullptr, 0};
  const std::string* v = nullptr;
  switch (id) {
    case envoy_dynamic_module_type_attribute_id_RequestPath:
      v = request_header(s, ":path");
      break;
    case envoy_dynamic_module_type_attribute_id_RequestUrlPath: {
      const std::string* p = request_header(s, ":path");
      if (p == nullptr) return false;
      return answer(s, p->substr(0, p->find('?')), out);
    }
    case envoy_dynamic_module_type_attribute_id_RequestQuery: {
      const std::string* p = request_header(s, ":path");
      if (p == nullptr) return false;
      auto q = p->find('?');
      return answer(s, q == std::string::npos ? std::string() : p->substr(q + 1), out);
    }
    case envoy_dynamic_module_type_attribute_id_RequestHost:
      v = request_header(s, ":authority");
      if (v == nullptr) v = request_header(s, "host");
      break;
    case envoy_dynamic_module_type_attribute_id_RequestScheme:
      v = request_header(s, ":scheme");
      break;
    case envoy_dynamic_module_type_attribute_id_RequestMethod:
      v = request_header(s, ":method");
      break;
    case envoy_dynamic_module_type_attribute_id_RequestReferer:
      v = request_header(s, "referer");
      break;
    case envoy_dynamic_module_type_attribute_id_RequestUserAgent:
      v = request_header(s, "user-agent");
      break;
    case envoy_dynamic_module_type_attribute_id_RequestId:
      v = request_header(s, "x-request-id");
      if (v == nullptr) v = &s->request_id();  // Envoy generates one when the client sent none
      break;
    case envoy_dynamic_module_type_attribute_id_RequestProtocol:
      return answer(s, s->host().options().protocol, out);
    case envoy_dynamic_module_type_attribute_id_SourceAddress:
      // 1.40: "ip:port", as CEL.
      return answer(s, s->spec().source_address, out);
    case envoy_dynamic_module_type_attribute_id_DestinationAddress:
      return answer(s, s->host().options().destination_address, out);
    case envoy_dynamic_module_type_attribute_id_ResponseCodeDetails:
      if (s->response_code() == 0) return false;
      return answer(s, s->response_code_details(), out);
    case envoy_dynamic_module_type_attribute_id_XdsRouteName: {
      const Route* r = s->route();
      if (r == nullptr) return false;
      return answer(s, r->name, out);
    }
    case envoy_dynamic_module_type_attribute_id_XdsFilterChainName:
      return answer(s, "envoyext-host", out);
    default:
      return false;
  }
  if (v == nullptr) return false;
  *out = envoy_view(*v);
  return true;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_filter_get_attribute_int(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_attribute_id id, uint64_t* out) {
  Stream* s = live_stream(fe);
  if (s == nullptr || out == nullptr) return false;
  std::string ip;
  uint64_t port = 0;
  switch (id) {
    case envoy_dynamic_module_type_attribute_id_SourcePort:
      if (!split_host_port(s->spec().source_address, ip, port)) return false;
      *out = port;
      return true;
    case envoy_dynamic_module_type_attribute_id_DestinationPort:
      if (!split_host_port(s->host().options().destination_address, ip, port)) return false;
      *out = port;
      return true;
    case envoy_dynamic_module_type_attribute_id_ResponseCode:
      if (s->response_code() == 0) return false;
      *out = s->response_code();
      return true;
    case envoy_dynamic_module_type_attribute_id_ConnectionId:
      *out = s->id();
      return true;
    default:
      return false;
  }
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_filter_get_attribute_bool(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_attribute_id id, bool* out) {
  Stream* s = live_stream(fe);
  if (s == nullptr || out == nullptr) return false;
  switch (id) {
    case envoy_dynamic_module_type_attribute_id_ConnectionMtls:
      *out = false;  // plaintext downstream
      return true;
    case envoy_dynamic_module_type_attribute_id_HealthCheck:
      *out = false;
      return true;
    default:
      return false;
  }
}
