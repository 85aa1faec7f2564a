// The host's HTTP/1.1 exchange (see exchange.h): requests with content-length or, for a streaming
// callout, chunked bodies and trailers; responses parsed as bytes arrive.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "exchange.h"
#include "socket_io.h"

namespace envoyext::host {

class HttpExchange final : public Exchange {
 public:
  // `end_stream` true: the request is complete with `body` (sent with content-length). Otherwise
  // the request body is chunked and later frames come from send_data/send_trailers.
  // `tls` set: the exchange runs over TLS (an `https://` cluster).
  HttpExchange(std::string address, std::optional<UpstreamTls> tls, HeaderList headers, std::string body,
               bool end_stream, uint64_t timeout_ms);
  ~HttpExchange() override;
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;

  // Worker thread. false once the request has ended (HTTP/1.1 cannot send more) or after cancel.
  bool send_data(std::string_view data, bool end_stream) override;
  bool send_trailers(const HeaderList& trailers) override;
  // Module reset or filter destroyed: the exchange thread closes the socket and calls no sink.
  void cancel() override;

  // Exchange thread: the whole exchange. `host_cancelled` turns true on host shutdown.
  void run(const ExchangeSink& sink, const std::atomic<bool>& host_cancelled) override;

 private:
  void queue(std::string bytes, bool ends_request);

  const std::string address_;
  const std::optional<UpstreamTls> tls_;
  HeaderList headers_;
  std::string body_;
  const bool initial_end_;
  const uint64_t timeout_ms_;
  WakeSignal wake_;  // new request bytes or cancellation

  std::mutex mutex_;
  std::string outbox_;  // request bytes not yet written
  bool request_ended_ = false;
  std::atomic<bool> cancelled_{false};
};

}  // namespace envoyext::host
