// TLS for the host's HTTP/1.1 callouts to an `https://` cluster (Envoy's cluster with an
// UpstreamTlsContext): OpenSSL client over the exchange's non-blocking socket, the peer's chain
// checked against a CA file (or OpenSSL's default trust store) and its name against the SNI.
// Only what the callout tests need: no client certificate, no session resumption, no ALPN.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>

#include "exchange.h"
#include "socket_io.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace envoyext::host {

class TlsConnection {
 public:
  // Handshakes over `fd` (non-blocking, connected); null with `error` set on failure, timeout or
  // cancellation. The connection does not own `fd`.
  static std::unique_ptr<TlsConnection> handshake(int fd, const UpstreamTls& tls, const std::string& host,
                                                  SteadyClock::time_point deadline, const std::atomic<bool>& cancelled,
                                                  std::string& error);
  ~TlsConnection();
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  bool write_all(const char* bytes, size_t size, SteadyClock::time_point deadline, const std::atomic<bool>& cancelled);
  // > 0 bytes read, 0 the peer closed, -1 an error, -2 nothing yet (poll the socket and retry).
  ssize_t read(char* buf, size_t size);
  // Decrypted bytes buffered inside OpenSSL: read them before polling the socket again.
  bool pending() const;

 private:
  TlsConnection(SSL_CTX* ctx, SSL* ssl, int fd) : ctx_(ctx), ssl_(ssl), fd_(fd) {}
  SSL_CTX* ctx_;
  SSL* ssl_;
  int fd_;
};

}  // namespace envoyext::host
