// The benchmark's own authorization service for ext_auth's HTTP mode: a loopback HTTP/1.1 server
// on one thread of the host-bench process that answers every request with 200 and an empty body.
// Its work is constant and small (one epoll loop, no allocation per request once a connection's
// buffer exists), so the C baseline's callout and the C# filter's check wait on the same answer.
// Connections are keep-alive: the server answers each request as it completes and closes a
// connection only when the client does (the host's callouts send `connection: close` and close
// after the answer), on a bad request, or when it is stopped.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace envoyext::bench {

class AuthServer {
 public:
  // Listens on 127.0.0.1 at a free port the kernel picks and starts serving.
  // Throws std::runtime_error with the failing call's errno text.
  AuthServer();
  ~AuthServer();  // stops serving, closes every connection and joins the thread
  AuthServer(const AuthServer&) = delete;
  AuthServer& operator=(const AuthServer&) = delete;

  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  // Requests answered so far; a client that has read an answer sees it counted.
  uint64_t answered() const { return answered_.load(std::memory_order_acquire); }

  // Limits that keep a misbehaving client from growing the server without bound.
  static constexpr size_t kMaxRequestHeadBytes = 64 * 1024;
  static constexpr size_t kMaxRequestBodyBytes = 1024 * 1024;
  static constexpr int kMaxConnections = 4096;

 private:
  void serve();

  int listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd: the destructor's stop signal
  std::string address_;
  std::atomic<uint64_t> answered_{0};
  std::thread thread_;
};

}  // namespace envoyext::bench
