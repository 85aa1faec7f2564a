#include "tls_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

namespace envoyext::host {

namespace {

std::string last_error(const char* what) {
  unsigned long code = ERR_get_error();
  char text[256] = "";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return std::string(what) + (code != 0 ? std::string(": ") + text : std::string());
}

// Waits for what OpenSSL asked for after a WANT_READ / WANT_WRITE; false on anything else.
bool wait_for(SSL* ssl, int result, int fd, SteadyClock::time_point deadline, const std::atomic<bool>& cancelled) {
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ:
      return wait_fd(fd, POLLIN, deadline, cancelled);
    case SSL_ERROR_WANT_WRITE:
      return wait_fd(fd, POLLOUT, deadline, cancelled);
    default:
      return false;
  }
}

bool is_ip_literal(const std::string& host) {
  return host.find_first_not_of("0123456789.") == std::string::npos || host.find(':') != std::string::npos;
}

}  // namespace

std::unique_ptr<TlsConnection> TlsConnection::handshake(int fd, const UpstreamTls& tls, const std::string& host,
                                                        SteadyClock::time_point deadline,
                                                        const std::atomic<bool>& cancelled, std::string& error) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) {
    error = last_error("SSL_CTX_new");
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // A server that closes without close_notify ends a read-until-close body, as Envoy's TLS socket allows.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  bool trust = tls.ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx) == 1
                                   : SSL_CTX_load_verify_locations(ctx, tls.ca_file.c_str(), nullptr) == 1;
  if (!trust) {
    error = last_error(tls.ca_file.empty() ? "default trust store" : ("ca file " + tls.ca_file).c_str());
    SSL_CTX_free(ctx);
    return nullptr;
  }
  SSL* ssl = SSL_new(ctx);
  std::unique_ptr<TlsConnection> conn(new TlsConnection(ctx, ssl, fd));
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    error = last_error("SSL_new");
    return nullptr;
  }
  // The name the certificate must carry: the SNI, else the address's host (as a DNS name or an IP).
  const std::string& name = tls.sni.empty() ? host : tls.sni;
  if (!is_ip_literal(name)) SSL_set_tlsext_host_name(ssl, name.c_str());
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  bool named = is_ip_literal(name) ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) == 1
                                   : X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size()) == 1;
  if (!named) {
    error = "tls: cannot check the certificate against \"" + name + "\"";
    return nullptr;
  }
  for (;;) {
    int r = SSL_connect(ssl);
    if (r == 1) return conn;
    if (!wait_for(ssl, r, fd, deadline, cancelled)) {
      long verify = SSL_get_verify_result(ssl);
      error = verify != X509_V_OK ? std::string("tls: certificate rejected: ") + X509_verify_cert_error_string(verify)
                                  : last_error("tls: handshake failed");
      return nullptr;
    }
  }
}

TlsConnection::~TlsConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  SSL_CTX_free(ctx_);
}

bool TlsConnection::write_all(const char* bytes, size_t size, SteadyClock::time_point deadline,
                              const std::atomic<bool>& cancelled) {
  size_t sent = 0;
  while (sent < size) {
    size_t written = 0;
    int r = SSL_write_ex(ssl_, bytes + sent, size - sent, &written);
    if (r == 1) {
      sent += written;
      continue;
    }
    if (!wait_for(ssl_, r, fd_, deadline, cancelled)) return false;
  }
  return true;
}

ssize_t TlsConnection::read(char* buf, size_t size) {
  size_t got = 0;
  int r = SSL_read_ex(ssl_, buf, size, &got);
  if (r == 1) return static_cast<ssize_t>(got);
  switch (SSL_get_error(ssl_, r)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return -2;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      ERR_clear_error();
      return -1;
  }
}

bool TlsConnection::pending() const { return SSL_pending(ssl_) > 0; }

}  // namespace envoyext::host
