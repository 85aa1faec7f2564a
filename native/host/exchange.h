// One request/response exchange with a cluster's loopback endpoint, as the host's callouts use it:
// HTTP/1.1 (http_client.h) or HTTP/2 with prior knowledge (http2_client.h), chosen by the cluster.
// It runs on its own thread (CalloutRunner::run). A streaming callout (start_http_stream) queues
// request frames from the worker with send_data/send_trailers; a one-shot callout (http_callout)
// sends its whole request up front (end_stream). Response frames go to a sink as soon as they are
// parsed; the sink posts them to the stream's worker (or collects them for a one-shot callout).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "request_types.h"

namespace envoyext::host {

struct ExchangeSink {
  std::function<void(HeaderList&&, bool end_stream)> headers;  // ":status" first
  std::function<void(std::string&&, bool end_stream)> data;
  std::function<void(HeaderList&&)> trailers;
  std::function<void()> complete;
  std::function<void()> reset;  // connect/read/write failure, malformed response or timeout
};

// How an `https://` cluster checks its endpoint (Envoy's UpstreamTlsContext: sni and a trusted CA).
struct UpstreamTls {
  std::string sni;      // sent in the ClientHello and required in the certificate; empty: the address's host
  std::string ca_file;  // PEM bundle of trusted CAs; empty: OpenSSL's default trust store
};

// A cluster the scenario names: where its endpoint listens and which protocol it speaks (Envoy's
// cluster with or without http2_protocol_options, with or without a TLS transport socket).
struct Upstream {
  std::string address;  // "host:port"
  bool http2 = false;
  std::optional<UpstreamTls> tls;  // HTTP/1.1 over TLS
};

class Exchange {
 public:
  virtual ~Exchange() = default;
  // Worker thread. false once the request has ended or after cancel.
  virtual bool send_data(std::string_view data, bool end_stream) = 0;
  virtual bool send_trailers(const HeaderList& trailers) = 0;
  // Module reset or filter destroyed: the exchange thread closes the socket and calls no sink.
  virtual void cancel() = 0;
  // Exchange thread: the whole exchange. `host_cancelled` turns true on host shutdown.
  virtual void run(const ExchangeSink& sink, const std::atomic<bool>& host_cancelled) = 0;
};

// `end_stream` true: the request is complete with `body`. Otherwise later frames come from
// send_data/send_trailers.
std::shared_ptr<Exchange> make_exchange(const Upstream& upstream, HeaderList headers, std::string body, bool end_stream,
                                        uint64_t timeout_ms);

}  // namespace envoyext::host
