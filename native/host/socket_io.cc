#include "socket_io.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace envoyext::host {

WakeSignal::WakeSignal() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

WakeSignal::~WakeSignal() {
  if (fd_ >= 0) ::close(fd_);
}

void WakeSignal::notify() {
  uint64_t one = 1;
  ssize_t w = ::write(fd_, &one, sizeof one);
  (void)w;  // a full counter still wakes the reader
}

void WakeSignal::drain() {
  uint64_t count;
  ssize_t n = ::read(fd_, &count, sizeof count);
  (void)n;
}

int poll_slice_ms(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  if (left <= 0) return 0;
  return static_cast<int>(left < 50 ? left : 50);
}

bool wait_fd(int fd, short events, SteadyClock::time_point deadline, const std::atomic<bool>& cancelled) {
  for (;;) {
    if (cancelled.load()) return false;
    int ms = poll_slice_ms(deadline);
    if (ms == 0) return false;
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, ms);
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return false;
  }
}

int connect_with_deadline(const std::string& address, SteadyClock::time_point deadline,
                          const std::atomic<bool>& cancelled) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return -1;
  std::string host = address.substr(0, colon), port = address.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || res == nullptr) return -1;
  int fd = ::socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, res->ai_protocol);
  if (fd < 0) {
    ::freeaddrinfo(res);
    return -1;
  }
  // Envoy's upstream connections write without Nagle's delay (its codec client sets TCP_NODELAY): an
  // HTTP/2 request goes out as several small frames that must not wait for each other's ACK.
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  int r = ::connect(fd, res->ai_addr, res->ai_addrlen);
  ::freeaddrinfo(res);
  if (r != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  if (r != 0) {
    if (!wait_fd(fd, POLLOUT, deadline, cancelled)) {
      ::close(fd);
      return -1;
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      ::close(fd);
      return -1;
    }
  }
  return fd;
}

bool write_all(int fd, const char* bytes, size_t size, SteadyClock::time_point deadline,
               const std::atomic<bool>& cancelled) {
  size_t sent = 0;
  while (sent < size) {
    if (!wait_fd(fd, POLLOUT, deadline, cancelled)) return false;
    ssize_t n = ::send(fd, bytes + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
    if (n > 0) sent += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace envoyext::host
