// The host's HTTP/2 exchange (see exchange.h) for clusters that speak HTTP/2 with prior knowledge
// (h2c), as Envoy's gRPC clusters do: one stream on its own connection, framed by libnghttp2, with
// request data and trailers queued from the worker and response frames (headers, data, trailers)
// handed to the sink as they arrive, which is how a gRPC status in trailers reaches the module.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "exchange.h"
#include "socket_io.h"

namespace envoyext::host {

class Http2Exchange final : public Exchange {
 public:
  Http2Exchange(std::string address, HeaderList headers, std::string body, bool end_stream, uint64_t timeout_ms);
  ~Http2Exchange() override;
  Http2Exchange(const Http2Exchange&) = delete;
  Http2Exchange& operator=(const Http2Exchange&) = delete;

  bool send_data(std::string_view data, bool end_stream) override;
  bool send_trailers(const HeaderList& trailers) override;
  void cancel() override;
  void run(const ExchangeSink& sink, const std::atomic<bool>& host_cancelled) override;

  // What the session's data provider pulls (exchange thread, under the mutex): up to `length`
  // queued request bytes, and whether the request body (and trailers, if any) ends there.
  struct Pull {
    size_t copied = 0;
    bool ended = false;     // nothing more will be queued
    bool trailers = false;  // trailers follow the last byte
  };
  Pull pull(uint8_t* out, size_t length, HeaderList& trailers_out);

 private:
  const std::string address_;
  const HeaderList headers_;
  const bool headers_only_;  // end_stream with no body: the request is one HEADERS frame
  const uint64_t timeout_ms_;
  WakeSignal wake_;  // new request frames or cancellation

  std::mutex mutex_;
  std::string outbox_;  // request body bytes not yet framed
  bool request_ended_ = false;
  bool has_trailers_ = false;
  HeaderList trailers_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace envoyext::host
