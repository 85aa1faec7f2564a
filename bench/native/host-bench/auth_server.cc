#include "auth_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "auth_connection.h"

namespace envoyext::bench {

namespace {

std::runtime_error system_error(const char* what) {
  return std::runtime_error(std::string("auth server: ") + what + ": " + std::strerror(errno));
}

}  // namespace

AuthServer::AuthServer(Protocol protocol) : protocol_(protocol) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw system_error("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // a free port
  socklen_t length = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, SOMAXCONN) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    const auto error = system_error("bind/listen on 127.0.0.1");
    ::close(listen_fd_);
    throw error;
  }
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd_ < 0) {
    const auto error = system_error("eventfd");
    ::close(listen_fd_);
    throw error;
  }
  address_ = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  thread_ = std::thread([this] { serve(); });
}

AuthServer::~AuthServer() {
  const uint64_t one = 1;
  if (::write(stop_fd_, &one, sizeof one) < 0) std::abort();  // the thread could never be joined
  thread_.join();
  ::close(stop_fd_);
  ::close(listen_fd_);
}

void AuthServer::serve() {
  const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll < 0) std::abort();
  auto watch = [epoll](int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    return ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev) == 0;
  };
  if (!watch(listen_fd_) || !watch(stop_fd_)) std::abort();
  std::unordered_map<int, std::unique_ptr<AuthConnection>> connections;
  auto close_connection = [&](int fd) {
    ::epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    connections.erase(fd);
  };
  epoll_event events[64];
  char chunk[16 * 1024];
  for (;;) {
    const int n = ::epoll_wait(epoll, events, 64, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) std::abort();
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == stop_fd_) {
        for (auto& [open, connection] : connections) ::close(open);
        ::close(epoll);
        return;
      }
      if (fd == listen_fd_) {
        for (;;) {
          const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (client < 0) break;  // EAGAIN: all accepted (other errors: the client is gone)
          if (static_cast<int>(connections.size()) >= kMaxConnections || !watch(client)) {
            ::close(client);
            continue;
          }
          const int on = 1;
          ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
          connections[client] = protocol_ == Protocol::Grpc ? grpc_auth_connection() : http_auth_connection();
        }
        continue;
      }
      auto it = connections.find(fd);
      if (it == connections.end()) continue;
      AuthConnection& connection = *it->second;
      std::string out;
      uint64_t allowed = 0;
      bool open = true;
      for (;;) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got > 0) {
          if (!connection.receive(chunk, static_cast<size_t>(got), out, allowed)) {
            open = false;
            break;
          }
          continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) open = false;
        break;
      }
      if (!out.empty()) {
        // Counted before the answers leave, so a client that saw one also sees the count.
        answered_.fetch_add(allowed, std::memory_order_release);
        // The answers are a few hundred bytes on a fresh socket buffer: a short write means the
        // client stopped reading, and the connection is dropped (and its answers not counted).
        if (::send(fd, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) {
          answered_.fetch_sub(allowed, std::memory_order_relaxed);
          open = false;
        }
      }
      if (!open) close_connection(fd);
    }
  }
}

}  // namespace envoyext::bench
