#include "auth_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace envoyext::bench {

namespace {

constexpr std::string_view kAllowed = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";

std::runtime_error system_error(const char* what) {
  return std::runtime_error(std::string("auth server: ") + what + ": " + std::strerror(errno));
}

struct Connection {
  std::string buffer;  // bytes of requests not answered yet
};

enum class Parse { NeedMore, Complete, Bad };

// One request at the front of `buffer`: complete (its length in `consumed`), incomplete, or one the
// server does not serve (no content-length framing it can trust, or over the size limits).
Parse parse_request(const std::string& buffer, size_t& consumed) {
  const size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return buffer.size() > AuthServer::kMaxRequestHeadBytes ? Parse::Bad : Parse::NeedMore;
  }
  if (head_end > AuthServer::kMaxRequestHeadBytes) return Parse::Bad;
  uint64_t body = 0;
  size_t line = buffer.find("\r\n");
  while (line < head_end) {
    const size_t start = line + 2;
    line = buffer.find("\r\n", start);
    const std::string_view header(buffer.data() + start, line - start);
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = header.substr(0, colon);
    std::string_view value = header.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    if (name.size() == 17 && strncasecmp(name.data(), "transfer-encoding", 17) == 0) return Parse::Bad;
    if (name.size() == 14 && strncasecmp(name.data(), "content-length", 14) == 0) {
      char* end = nullptr;
      const std::string digits(value);
      body = std::strtoull(digits.c_str(), &end, 10);
      if (digits.empty() || end == nullptr || (*end != '\0' && *end != ' ') || body > AuthServer::kMaxRequestBodyBytes)
        return Parse::Bad;
    }
  }
  if (buffer.size() - (head_end + 4) < body) return Parse::NeedMore;
  consumed = head_end + 4 + body;
  return Parse::Complete;
}

}  // namespace

AuthServer::AuthServer() {
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
  std::unordered_map<int, Connection> connections;
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
          connections[client];
        }
        continue;
      }
      auto it = connections.find(fd);
      if (it == connections.end()) continue;
      std::string& buffer = it->second.buffer;
      bool open = true;
      for (;;) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got > 0) {
          buffer.append(chunk, static_cast<size_t>(got));
          continue;
        }
        if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) open = false;
        if (got < 0 && errno == EINTR) continue;
        break;
      }
      // Every complete request gets its answer, in order (pipelined requests included).
      size_t consumed = 0;
      Parse parse;
      while ((parse = parse_request(buffer, consumed)) == Parse::Complete) {
        buffer.erase(0, consumed);
        // Counted before the answer leaves, so a client that saw it also sees the count.
        answered_.fetch_add(1, std::memory_order_release);
        // The answer is a few dozen bytes on a fresh socket buffer: a short write means the client
        // stopped reading, and the connection is dropped (and the answer not counted).
        if (::send(fd, kAllowed.data(), kAllowed.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(kAllowed.size())) {
          answered_.fetch_sub(1, std::memory_order_relaxed);
          open = false;
          break;
        }
      }
      if (!open || parse == Parse::Bad) close_connection(fd);
    }
  }
}

}  // namespace envoyext::bench
