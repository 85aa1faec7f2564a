#include "callout_runner.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "header_map.h"

namespace envoyext::host {

namespace {

using Clock = std::chrono::steady_clock;

// Milliseconds left before `deadline`, at most 50 so cancellation is noticed promptly.
int slice_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return static_cast<int>(left < 50 ? left : 50);
}

}  // namespace

bool wait_fd(int fd, short events, Clock::time_point deadline, const std::atomic<bool>& cancelled) {
  for (;;) {
    if (cancelled.load()) return false;
    int ms = slice_ms(deadline);
    if (ms == 0) return false;
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, ms);
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return false;
  }
}

int connect_with_deadline(const std::string& address, Clock::time_point deadline, const std::atomic<bool>& cancelled) {
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

namespace {

// Parses a complete HTTP/1.1 response (content-length, chunked or close-delimited).
bool parse_response(const std::string& raw, bool closed, CalloutResponse& out) {
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  auto line_end = raw.find("\r\n");
  std::string status_line = raw.substr(0, line_end);
  auto sp = status_line.find(' ');
  if (sp == std::string::npos) return false;
  out.headers.clear();
  out.headers.emplace_back(":status", status_line.substr(sp + 1, 3));
  long content_length = -1;
  bool chunked = false;
  size_t pos = line_end + 2;
  while (pos < head_end) {
    auto e = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, e - pos);
    pos = e + 2;
    auto c = line.find(':');
    if (c == std::string::npos) continue;
    std::string key = HeaderMap::lower(line.substr(0, c));
    size_t v = c + 1;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
    std::string value = line.substr(v);
    if (key == "content-length") content_length = std::strtol(value.c_str(), nullptr, 10);
    if (key == "transfer-encoding" && value.find("chunked") != std::string::npos) chunked = true;
    out.headers.emplace_back(key, value);
  }
  std::string rest = raw.substr(head_end + 4);
  if (chunked) {
    std::string body;
    size_t p = 0;
    for (;;) {
      auto e = rest.find("\r\n", p);
      if (e == std::string::npos) return false;
      unsigned long n = std::strtoul(rest.substr(p, e - p).c_str(), nullptr, 16);
      if (n == 0) break;
      if (rest.size() < e + 2 + n + 2) return false;
      body.append(rest, e + 2, n);
      p = e + 2 + n + 2;
    }
    out.body = body;
    return true;
  }
  if (content_length >= 0) {
    if (rest.size() < static_cast<size_t>(content_length)) return false;
    out.body = rest.substr(0, static_cast<size_t>(content_length));
    return true;
  }
  if (!closed) return false;
  out.body = rest;
  return true;
}

}  // namespace

CalloutResponse http11_exchange(const std::string& address, const HeaderList& headers, const std::string& body,
                                uint64_t timeout_ms, const std::atomic<bool>& cancelled) {
  CalloutResponse failed;
  // Envoy treats timeout 0 as "no timeout"; the host still needs an upper bound to join threads.
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms == 0 ? 60000 : timeout_ms);
  int fd = connect_with_deadline(address, deadline, cancelled);
  if (fd < 0) return failed;

  std::string method = "GET", path = "/", authority;
  std::string req_headers;
  for (const auto& [k, v] : headers) {
    if (k == ":method")
      method = v;
    else if (k == ":path")
      path = v;
    else if (k == ":authority" || k == "host")
      authority = v;
    else if (!k.empty() && k[0] != ':' && k != "content-length" && k != "connection")
      req_headers += k + ": " + v + "\r\n";
  }
  std::string request = method + " " + path + " HTTP/1.1\r\nhost: " + authority + "\r\n" + req_headers +
                        "content-length: " + std::to_string(body.size()) + "\r\nconnection: close\r\n\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    if (!wait_fd(fd, POLLOUT, deadline, cancelled)) {
      ::close(fd);
      return failed;
    }
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      ::close(fd);
      return failed;
    }
    if (n > 0) sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[4096];
  CalloutResponse out;
  for (;;) {
    if (!wait_fd(fd, POLLIN, deadline, cancelled)) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      raw.append(buf, static_cast<size_t>(n));
      if (parse_response(raw, false, out)) {
        out.ok = true;
        break;
      }
      continue;
    }
    if (n == 0) {
      out.ok = parse_response(raw, true, out);
      break;
    }
    if (errno != EAGAIN && errno != EINTR) break;
  }
  ::close(fd);
  if (!out.ok) return failed;
  return out;
}

CalloutRunner::~CalloutRunner() { shutdown(); }

void CalloutRunner::reap() {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if (it->done.load()) {
      it->thread.join();
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

void CalloutRunner::start(std::string address, HeaderList headers, std::string body, uint64_t timeout_ms,
                          std::function<void(CalloutResponse&&)> on_done) {
  run([address = std::move(address), headers = std::move(headers), body = std::move(body), timeout_ms,
       on_done = std::move(on_done)](const std::atomic<bool>& cancelled) {
    CalloutResponse r = http11_exchange(address, headers, body, timeout_ms, cancelled);
    if (!cancelled.load()) on_done(std::move(r));
  });
}

void CalloutRunner::run(std::function<void(const std::atomic<bool>& cancelled)> job_fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  reap();
  jobs_.emplace_back();
  Job& job = jobs_.back();
  job.thread = std::thread([this, &job, job_fn = std::move(job_fn)] {
    job_fn(cancelled_);
    job.done.store(true);
  });
}

void CalloutRunner::wait_all() {
  std::list<Job> jobs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs.splice(jobs.end(), jobs_);
  }
  for (auto& j : jobs) {
    if (j.thread.joinable()) j.thread.join();
  }
}

void CalloutRunner::shutdown() {
  cancelled_.store(true);
  std::list<Job> jobs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs.splice(jobs.end(), jobs_);
  }
  for (auto& j : jobs) {
    if (j.thread.joinable()) j.thread.join();
  }
}

}  // namespace envoyext::host
