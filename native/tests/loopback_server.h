// A tiny HTTP/1.1 server on 127.0.0.1 for callout tests: answers every request with a fixed
// response, or holds the connection open without answering (to exercise timeouts). Requests are
// read to their end: content-length bodies and chunked bodies (with trailers) alike.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace envoyext::test {

class LoopbackServer {
 public:
  // `response` = full raw HTTP response; empty = never answer.
  explicit LoopbackServer(std::string response);
  ~LoopbackServer();
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string last_request() const;

 private:
  void serve();
  std::string response_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::atomic<int> requests_{0};
  std::string last_request_;
  std::thread thread_;
};

}  // namespace envoyext::test
