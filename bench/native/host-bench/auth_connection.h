// One client connection of the benchmark's authorization service (auth_server.h): the protocol side,
// bytes in and answers out, with no socket of its own. HTTP/1.1 answers every request with 200 and an
// empty body; gRPC answers every envoy.service.auth.v3.Authorization/Check call with an OK
// CheckResponse (an empty OkHttpResponse) and grpc-status 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace envoyext::bench {

class AuthConnection {
 public:
  virtual ~AuthConnection() = default;
  // Takes `size` bytes read from the client and appends to `out` what goes back. `allowed` grows by
  // the checks whose complete allowing answer is in `out`. false: the connection cannot go on (a
  // request it does not serve); `out` is still sent before it is closed.
  virtual bool receive(const char* data, size_t size, std::string& out, uint64_t& allowed) = 0;
};

// HTTP/1.1, keep-alive, pipelined requests answered in order; a request without content-length
// framing it can trust (or over the size limits) breaks the connection.
std::unique_ptr<AuthConnection> http_auth_connection();
// HTTP/2 with prior knowledge (an h2c cluster, as Envoy's gRPC clients speak it). A call to another
// path, without a gRPC content type or whose request is not exactly one uncompressed message is
// answered with a gRPC error status (not counted as allowed).
std::unique_ptr<AuthConnection> grpc_auth_connection();

// Limits that keep a misbehaving client from growing the server without bound.
inline constexpr size_t kMaxRequestHeadBytes = 64 * 1024;
inline constexpr size_t kMaxRequestBodyBytes = 1024 * 1024;

}  // namespace envoyext::bench
