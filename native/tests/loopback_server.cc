#include "loopback_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace envoyext::test {

namespace {

// True once `req` holds the last chunk and the (possibly empty) trailer block after it.
bool chunked_request_complete(const std::string& req, size_t pos) {
  for (;;) {
    auto e = req.find("\r\n", pos);
    if (e == std::string::npos || e == pos) return false;
    size_t n = std::strtoul(req.c_str() + pos, nullptr, 16);
    if (n == 0) return req.find("\r\n\r\n", e) != std::string::npos;
    pos = e + 2 + n + 2;
    if (pos > req.size()) return false;
  }
}

}  // namespace

LoopbackServer::LoopbackServer(std::string response) : response_(std::move(response)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listen_fd_, 16);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

LoopbackServer::~LoopbackServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string LoopbackServer::last_request() const { return last_request_; }

void LoopbackServer::serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::string req;
    char buf[2048];
    // Read the head and a content-length body.
    while (!stop_) {
      pollfd q{fd, POLLIN, 0};
      if (::poll(&q, 1, 20) <= 0) continue;
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      req.append(buf, static_cast<size_t>(n));
      auto head = req.find("\r\n\r\n");
      if (head == std::string::npos) continue;
      if (req.find("transfer-encoding: chunked") < head) {
        if (chunked_request_complete(req, head + 4)) break;
        continue;
      }
      auto cl = req.find("content-length: ");
      size_t body_len = cl == std::string::npos ? 0 : std::stoul(req.substr(cl + 16));
      if (req.size() >= head + 4 + body_len) break;
    }
    last_request_ = req;
    if (response_.empty()) {
      while (!stop_) {  // hold the connection until the client gives up or the test ends
        pollfd q{fd, POLLIN, 0};
        if (::poll(&q, 1, 20) > 0 && ::recv(fd, buf, sizeof buf, 0) <= 0) break;
      }
    } else {
      ssize_t w = ::send(fd, response_.data(), response_.size(), MSG_NOSIGNAL);
      (void)w;
    }
    ::close(fd);
  }
}

}  // namespace envoyext::test
