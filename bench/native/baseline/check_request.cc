#include "check_request.h"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "envoy_callbacks.h"

namespace cbaseline {

namespace {

constexpr size_t kFrameHeader = 5;
constexpr size_t kLengthReserve = 3;  // a nested message's length, varint-encoded in at most 3 bytes
constexpr size_t kMaxNested = (size_t{1} << 21) - 1;
constexpr size_t kMaxRequestHeaders = 256;
constexpr auto kRequest = envoy_dynamic_module_type_http_header_type_RequestHeader;

// Protobuf wire format appended to a string; a nested message reserves three bytes for its length
// and end() moves its content back over what the real length does not use.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void tag(int field, int wire_type) { varint((static_cast<uint64_t>(field) << 3) | static_cast<uint64_t>(wire_type)); }
  void string(int field, std::string_view s) {
    if (s.empty()) return;
    tag(field, 2);
    varint(s.size());
    out_.append(s);
  }
  void uint(int field, uint64_t v) {
    if (v == 0) return;
    tag(field, 0);
    varint(v);
  }
  size_t begin(int field) {
    tag(field, 2);
    const size_t at = out_.size();
    out_.append(kLengthReserve, '\0');
    return at;
  }
  void end(size_t at) {
    const size_t length = out_.size() - at - kLengthReserve;
    if (length > kMaxNested) {
      overflowed_ = true;
      return;
    }
    uint8_t encoded[kLengthReserve];
    size_t n = 0;
    uint64_t v = length;
    do {
      encoded[n] = static_cast<uint8_t>(v & 0x7f);
      v >>= 7;
      if (v != 0) encoded[n] |= 0x80;
      ++n;
    } while (v != 0);
    std::memcpy(&out_[at], encoded, n);
    if (n < kLengthReserve) out_.erase(at + n, kLengthReserve - n);
  }
  bool overflowed() const { return overflowed_; }

 private:
  std::string& out_;
  bool overflowed_ = false;
};

std::string_view view(const envoy_dynamic_module_type_envoy_buffer& b) { return {b.ptr, b.length}; }

bool header(envoy_dynamic_module_type_http_filter_envoy_ptr fe, std::string_view name, size_t index,
            std::string_view& value) {
  envoy_dynamic_module_type_envoy_buffer b{};
  if (!envoy.get_header(fe, kRequest, {name.data(), name.size()}, &b, index, nullptr)) return false;
  value = view(b);
  return true;
}

bool attribute(envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_attribute_id id,
               std::string_view& value) {
  envoy_dynamic_module_type_envoy_buffer b{};
  if (!envoy.get_attribute_string(fe, id, &b)) return false;
  value = view(b);
  return true;
}

// map<string, string> headers = 3 of HttpRequest.
void map_entry(Writer& w, std::string_view key, std::string_view value) {
  const size_t entry = w.begin(3);
  w.string(1, key);
  w.string(2, value);
  w.end(entry);
}

// "1.2.3.4:80" or "[::1]:80" into address and port; anything else is an address without a port.
void split_host_port(std::string_view address, std::string_view& ip, uint64_t& port) {
  ip = address;
  port = 0;
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return;
  const bool bracketed = address[0] == '[';
  if (!bracketed && address.substr(0, colon).find(':') != std::string_view::npos) return;  // bare IPv6
  uint64_t parsed = 0;
  const std::string_view digits = address.substr(colon + 1);
  if (digits.empty()) return;
  for (char c : digits) {
    if (c < '0' || c > '9' || parsed > 0xffffffffu) return;
    parsed = parsed * 10 + static_cast<uint64_t>(c - '0');
  }
  if (parsed > 0xffffffffu) return;
  port = parsed;
  ip = address.substr(0, colon);
  if (bracketed && ip.size() >= 2 && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
}

// AttributeContext.Peer: the address, and for the source the certificate's URI SAN or subject.
void peer(Writer& w, envoy_dynamic_module_type_http_filter_envoy_ptr fe, int field,
          envoy_dynamic_module_type_attribute_id address_id, bool with_principal) {
  std::string_view address, principal;
  const bool has_address = attribute(fe, address_id, address) && !address.empty();
  if (with_principal &&
      !(attribute(fe, envoy_dynamic_module_type_attribute_id_ConnectionUriSanPeerCertificate, principal) &&
        !principal.empty())) {
    attribute(fe, envoy_dynamic_module_type_attribute_id_ConnectionSubjectPeerCertificate, principal);
  }
  if (!has_address && principal.empty()) return;
  const size_t p = w.begin(field);
  if (has_address) {
    std::string_view ip;
    uint64_t port = 0;
    split_host_port(address, ip, port);
    const size_t a = w.begin(1);  // Peer.address
    const size_t s = w.begin(1);  // Address.socket_address
    w.string(2, ip);
    w.uint(3, port);
    w.end(s);
    w.end(a);
  }
  w.string(4, principal);
  w.end(p);
}

bool parse_decimal(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 18) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

void http_request(Writer& w, envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                  const std::vector<std::string>& copied_headers) {
  std::string_view v;
  if (header(fe, "x-request-id", 0, v)) w.string(1, v);
  if (header(fe, ":method", 0, v)) w.string(2, v);
  if (copied_headers.empty()) {
    envoy_dynamic_module_type_envoy_http_header all[kMaxRequestHeaders];
    const size_t n = envoy.get_headers_size(fe, kRequest);
    if (n <= kMaxRequestHeaders && envoy.get_headers(fe, kRequest, all)) {
      for (size_t i = 0; i < n; ++i) {
        map_entry(w, {all[i].key_ptr, all[i].key_length}, {all[i].value_ptr, all[i].value_length});
      }
    }
  } else {
    for (std::string_view pseudo : {":authority", ":method", ":path", ":scheme"}) {
      if (header(fe, pseudo, 0, v)) map_entry(w, pseudo, v);
    }
    for (const std::string& name : copied_headers) {
      size_t count = 0;
      envoy_dynamic_module_type_envoy_buffer first{};
      if (!envoy.get_header(fe, kRequest, {name.data(), name.size()}, &first, 0, &count)) continue;
      map_entry(w, name, view(first));
      for (size_t i = 1; i < count; ++i) {
        if (header(fe, name, i, v)) map_entry(w, name, v);
      }
    }
  }
  if (header(fe, ":path", 0, v)) w.string(4, v);
  if (header(fe, ":authority", 0, v) || header(fe, "host", 0, v)) w.string(5, v);
  if (header(fe, ":scheme", 0, v)) w.string(6, v);
  uint64_t size = 0;
  if (header(fe, "content-length", 0, v) && parse_decimal(v, size)) w.uint(9, size);
  if (attribute(fe, envoy_dynamic_module_type_attribute_id_RequestProtocol, v)) w.string(10, v);
}

// One varint at `at`; false past the end.
bool read_varint(std::string_view m, size_t& at, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && at < m.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(m[at++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Walks `m`'s fields; `on` gets each field number, wire type and (length-delimited) bytes or varint.
template <typename On>
bool walk(std::string_view m, On on) {
  size_t at = 0;
  while (at < m.size()) {
    uint64_t key = 0, v = 0;
    if (!read_varint(m, at, key)) return false;
    const int field = static_cast<int>(key >> 3);
    switch (key & 7) {
      case 0:
        if (!read_varint(m, at, v)) return false;
        on(field, 0, std::string_view{}, v);
        break;
      case 1:
        if (m.size() - at < 8) return false;
        at += 8;
        break;
      case 2:
        if (!read_varint(m, at, v) || v > m.size() - at) return false;
        on(field, 2, m.substr(at, v), 0);
        at += v;
        break;
      case 5:
        if (m.size() - at < 4) return false;
        at += 4;
        break;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

bool write_check_request(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                         const std::vector<std::string>& copied_headers, std::string& out) {
  out.assign(kFrameHeader, '\0');
  Writer w(out);
  const size_t attributes = w.begin(1);  // CheckRequest.attributes
  peer(w, fe, 1, envoy_dynamic_module_type_attribute_id_SourceAddress, true);
  peer(w, fe, 2, envoy_dynamic_module_type_attribute_id_DestinationAddress, false);
  const size_t request = w.begin(4);  // AttributeContext.request
  const size_t http = w.begin(2);     // Request.http
  http_request(w, fe, copied_headers);
  w.end(http);
  w.end(request);
  std::string_view sni;
  if (attribute(fe, envoy_dynamic_module_type_attribute_id_ConnectionRequestedServerName, sni) && !sni.empty()) {
    const size_t tls = w.begin(12);  // AttributeContext.tls_session
    w.string(1, sni);
    w.end(tls);
  }
  w.end(attributes);
  if (w.overflowed()) return false;
  const size_t length = out.size() - kFrameHeader;
  out[1] = static_cast<char>(length >> 24);
  out[2] = static_cast<char>(length >> 16);
  out[3] = static_cast<char>(length >> 8);
  out[4] = static_cast<char>(length);
  return true;
}

bool check_response_allows(const std::string& framed) {
  if (framed.size() < kFrameHeader || framed[0] != 0) return false;
  const auto* b = reinterpret_cast<const uint8_t*>(framed.data());
  const uint64_t length = (uint64_t{b[1]} << 24) | (uint64_t{b[2]} << 16) | (uint64_t{b[3]} << 8) | b[4];
  if (length != framed.size() - kFrameHeader) return false;
  uint64_t code = 0;
  bool nested_ok = true;
  const bool ok =
      walk(std::string_view(framed).substr(kFrameHeader), [&](int field, int type, std::string_view bytes, uint64_t) {
        if (field != 1 || type != 2) return;
        nested_ok &= walk(bytes, [&](int f, int t, std::string_view, uint64_t v) {
          if (f == 1 && t == 0) code = v;
        });
      });
  return ok && nested_ok && code == 0;
}

}  // namespace cbaseline
