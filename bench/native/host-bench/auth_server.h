// The benchmark's own authorization service for ext_auth: a loopback server on one thread of the
// host-bench process that allows every check, over HTTP/1.1 (200, empty body) or gRPC (HTTP/2 with
// prior knowledge; an OK CheckResponse with an empty OkHttpResponse). Its work is constant and small
// (one epoll loop, a few hundred bytes per check), so the C baseline's callout and the C# filter's
// check wait on the same answer. Connections are keep-alive: the server answers each request as it
// completes and closes a connection only when the client does (the host's callouts use one
// connection per callout and close it after the answer), on a request it does not serve, or when it
// is stopped.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace envoyext::bench {

class AuthServer {
 public:
  enum class Protocol { Http1, Grpc };

  // Listens on 127.0.0.1 at a free port the kernel picks and starts serving.
  // Throws std::runtime_error with the failing call's errno text.
  explicit AuthServer(Protocol protocol = Protocol::Http1);
  ~AuthServer();  // stops serving, closes every connection and joins the thread
  AuthServer(const AuthServer&) = delete;
  AuthServer& operator=(const AuthServer&) = delete;

  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  // Checks allowed so far; a client that has read an answer sees it counted.
  uint64_t answered() const { return answered_.load(std::memory_order_acquire); }

  static constexpr int kMaxConnections = 4096;

 private:
  void serve();

  const Protocol protocol_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd: the destructor's stop signal
  std::string address_;
  std::atomic<uint64_t> answered_{0};
  std::thread thread_;
};

}  // namespace envoyext::bench
