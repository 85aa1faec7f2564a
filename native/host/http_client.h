// The host's one HTTP client: a real HTTP/1.1 exchange with a cluster's loopback endpoint, serving
// both kinds of callout. It runs on its own thread (CalloutRunner::run). A streaming callout
// (start_http_stream) queues request frames from the worker with send_data/send_trailers; a
// one-shot callout (http_callout) sends its whole request up front (end_stream). Response frames go
// to a sink as soon as they are parsed; the sink posts them to the stream's worker (or collects
// them for a one-shot callout's done hook).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "request_types.h"

namespace envoyext::host {

struct ExchangeSink {
  std::function<void(HeaderList&&, bool end_stream)> headers;  // ":status" first
  std::function<void(std::string&&, bool end_stream)> data;
  std::function<void(HeaderList&&)> trailers;
  std::function<void()> complete;
  std::function<void()> reset;  // connect/read/write failure, malformed response or timeout
};

class HttpExchange {
 public:
  // `end_stream` true: the request is complete with `body` (sent with content-length). Otherwise
  // the request body is chunked and later frames come from send_data/send_trailers.
  HttpExchange(std::string address, HeaderList headers, std::string body, bool end_stream, uint64_t timeout_ms);
  ~HttpExchange();
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;

  // Worker thread. false once the request has ended (HTTP/1.1 cannot send more) or after cancel.
  bool send_data(std::string_view data, bool end_stream);
  bool send_trailers(const HeaderList& trailers);
  // Module reset or filter destroyed: the exchange thread closes the socket and calls no sink.
  void cancel();

  // Exchange thread: the whole exchange. `host_cancelled` turns true on host shutdown.
  void run(const ExchangeSink& sink, const std::atomic<bool>& host_cancelled);

 private:
  void queue(std::string bytes, bool ends_request);
  void wake();

  const std::string address_;
  HeaderList headers_;
  std::string body_;
  const bool initial_end_;
  const uint64_t timeout_ms_;
  int wake_fd_ = -1;  // eventfd: new request bytes or cancellation

  std::mutex mutex_;
  std::string outbox_;  // request bytes not yet written
  bool request_ended_ = false;
  std::atomic<bool> cancelled_{false};
};

}  // namespace envoyext::host
