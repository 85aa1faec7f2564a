#include "http_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netdb.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "header_map.h"
#include "socket_io.h"
#include "tls_client.h"

namespace envoyext::host {

namespace {

using Clock = SteadyClock;

std::string chunk(std::string_view data) {
  char size[20];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out(size, static_cast<size_t>(n));
  out.append(data);
  out += "\r\n";
  return out;
}

bool header_line(const std::string& line, HeaderList& out) {
  auto c = line.find(':');
  if (c == std::string::npos) return false;
  size_t v = c + 1;
  while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
  out.emplace_back(HeaderMap::lower(line.substr(0, c)), line.substr(v));
  return true;
}

// Parses an HTTP/1.1 response as bytes arrive and emits Envoy-shaped frames: headers, then each
// piece of body as it is read (one frame per chunk for chunked bodies), then trailers or a final
// empty data frame with end_stream, exactly one terminal frame per response.
class ResponseReader {
 public:
  enum class Progress { NeedMore, Done, Error };

  Progress feed(const char* p, size_t n, const ExchangeSink& sink) {
    buf_.append(p, n);
    return advance(sink);
  }

  // The server closed the connection.
  Progress eof(const ExchangeSink& sink) {
    if (head_done_ && mode_ == Mode::UntilClose) {
      sink.data(std::string(), true);
      return Progress::Done;
    }
    return Progress::Error;  // truncated response
  }

 private:
  enum class Mode { Length, Chunked, UntilClose };
  enum class Chunk { Size, Data, DataEnd, Trailers };

  Progress advance(const ExchangeSink& sink) {
    if (!head_done_) {
      auto end = buf_.find("\r\n\r\n");
      if (end == std::string::npos) return Progress::NeedMore;
      HeaderList headers;
      auto line_end = buf_.find("\r\n");
      std::string status_line = buf_.substr(0, line_end);
      auto sp = status_line.find(' ');
      if (sp == std::string::npos || status_line.size() < sp + 4) return Progress::Error;
      std::string status = status_line.substr(sp + 1, 3);
      headers.emplace_back(":status", status);
      mode_ = Mode::UntilClose;
      size_t pos = line_end + 2;
      while (pos < end) {
        auto e = buf_.find("\r\n", pos);
        std::string line = buf_.substr(pos, e - pos);
        pos = e + 2;
        if (!header_line(line, headers)) continue;
        const auto& [key, value] = headers.back();
        if (key == "content-length") {
          mode_ = Mode::Length;
          remaining_ = std::strtoull(value.c_str(), nullptr, 10);
        }
        if (key == "transfer-encoding" && value.find("chunked") != std::string::npos) mode_ = Mode::Chunked;
      }
      buf_.erase(0, end + 4);
      head_done_ = true;
      if (status == "204" || status == "304") {
        mode_ = Mode::Length;
        remaining_ = 0;
      }
      bool headers_only = mode_ == Mode::Length && remaining_ == 0;
      sink.headers(std::move(headers), headers_only);
      if (headers_only) return Progress::Done;
    }
    switch (mode_) {
      case Mode::Length: {
        if (buf_.empty()) return Progress::NeedMore;
        size_t take = buf_.size() < remaining_ ? buf_.size() : static_cast<size_t>(remaining_);
        remaining_ -= take;
        sink.data(buf_.substr(0, take), remaining_ == 0);
        buf_.clear();  // bytes past content-length are not part of this response
        return remaining_ == 0 ? Progress::Done : Progress::NeedMore;
      }
      case Mode::UntilClose:
        if (!buf_.empty()) sink.data(std::move(buf_), false);
        buf_.clear();
        return Progress::NeedMore;
      case Mode::Chunked:
        return advance_chunked(sink);
    }
    return Progress::Error;
  }

  Progress advance_chunked(const ExchangeSink& sink) {
    for (;;) {
      switch (chunk_) {
        case Chunk::Size: {
          auto e = buf_.find("\r\n");
          if (e == std::string::npos) return Progress::NeedMore;
          char* end = nullptr;
          chunk_left_ = std::strtoull(buf_.c_str(), &end, 16);
          if (end == buf_.c_str()) return Progress::Error;
          buf_.erase(0, e + 2);
          chunk_ = chunk_left_ == 0 ? Chunk::Trailers : Chunk::Data;
          break;
        }
        case Chunk::Data: {
          if (buf_.empty()) return Progress::NeedMore;
          size_t take = buf_.size() < chunk_left_ ? buf_.size() : static_cast<size_t>(chunk_left_);
          sink.data(buf_.substr(0, take), false);
          buf_.erase(0, take);
          chunk_left_ -= take;
          if (chunk_left_ == 0) chunk_ = Chunk::DataEnd;
          break;
        }
        case Chunk::DataEnd:
          if (buf_.size() < 2) return Progress::NeedMore;
          buf_.erase(0, 2);
          chunk_ = Chunk::Size;
          break;
        case Chunk::Trailers: {
          auto e = buf_.find("\r\n");
          if (e == std::string::npos) return Progress::NeedMore;
          std::string line = buf_.substr(0, e);
          buf_.erase(0, e + 2);
          if (!line.empty()) {
            header_line(line, trailers_);
            break;
          }
          // Envoy ends a body without trailers with an empty end_stream data frame.
          if (trailers_.empty())
            sink.data(std::string(), true);
          else
            sink.trailers(std::move(trailers_));
          return Progress::Done;
        }
      }
    }
  }

  std::string buf_;
  bool head_done_ = false;
  Mode mode_ = Mode::UntilClose;
  uint64_t remaining_ = 0;
  Chunk chunk_ = Chunk::Size;
  uint64_t chunk_left_ = 0;
  HeaderList trailers_;
};

}  // namespace

HttpExchange::HttpExchange(std::string address, std::optional<UpstreamTls> tls, HeaderList headers, std::string body,
                           bool end_stream, uint64_t timeout_ms)
    : address_(std::move(address)),
      tls_(std::move(tls)),
      headers_(std::move(headers)),
      body_(std::move(body)),
      initial_end_(end_stream),
      timeout_ms_(timeout_ms) {
  std::string method = "GET", path = "/", authority, rest;
  for (const auto& [k, v] : headers_) {
    if (k == ":method")
      method = v;
    else if (k == ":path")
      path = v;
    else if (k == ":authority" || k == "host")
      authority = v;
    else if (!k.empty() && k[0] != ':' && k != "content-length" && k != "connection" && k != "transfer-encoding")
      rest += k + ": " + v + "\r\n";
  }
  std::string head = method + " " + path + " HTTP/1.1\r\nhost: " + authority + "\r\n" + rest + "connection: close\r\n";
  if (initial_end_) {
    outbox_ = head + "content-length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_;
    request_ended_ = true;
  } else {
    outbox_ = head + "transfer-encoding: chunked\r\n\r\n";
    if (!body_.empty()) outbox_ += chunk(body_);
  }
}

HttpExchange::~HttpExchange() = default;

void HttpExchange::queue(std::string bytes, bool ends_request) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    outbox_ += bytes;
    if (ends_request) request_ended_ = true;
  }
  wake_.notify();
}

bool HttpExchange::send_data(std::string_view data, bool end_stream) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (request_ended_ || cancelled_.load()) return false;
  }
  std::string bytes = data.empty() ? std::string() : chunk(data);
  if (end_stream) bytes += "0\r\n\r\n";
  queue(std::move(bytes), end_stream);
  return true;
}

bool HttpExchange::send_trailers(const HeaderList& trailers) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (request_ended_ || cancelled_.load()) return false;
  }
  std::string bytes = "0\r\n";
  for (const auto& [k, v] : trailers) bytes += k + ": " + v + "\r\n";
  bytes += "\r\n";
  queue(std::move(bytes), true);
  return true;
}

void HttpExchange::cancel() {
  cancelled_.store(true);
  wake_.notify();
}

void HttpExchange::run(const ExchangeSink& sink, const std::atomic<bool>& host_cancelled) {
  // Timeout 0 is "none" in Envoy; the host bounds it so shutdown can join the thread.
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_ == 0 ? 60000 : timeout_ms_);
  auto stopped = [&] { return cancelled_.load() || host_cancelled.load(); };
  int fd = connect_with_deadline(address_, deadline, cancelled_);
  if (fd < 0) {
    if (!stopped()) sink.reset();
    return;
  }
  std::unique_ptr<TlsConnection> tls;
  if (tls_) {
    std::string error;
    tls = TlsConnection::handshake(fd, *tls_, address_.substr(0, address_.rfind(':')), deadline, cancelled_, error);
    if (!tls) {
      ::close(fd);
      if (!stopped()) sink.reset();
      return;
    }
  }
  ResponseReader reader;
  char buf[4096];
  auto finish = [&](bool ok) {
    tls.reset();
    ::close(fd);
    if (stopped()) return;
    if (ok)
      sink.complete();
    else
      sink.reset();
  };
  for (;;) {
    if (stopped()) return finish(false);
    if (Clock::now() >= deadline) return finish(false);
    std::string pending;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      pending.swap(outbox_);
    }
    if (!pending.empty() && !(tls ? tls->write_all(pending.data(), pending.size(), deadline, cancelled_)
                                  : write_all(fd, pending.data(), pending.size(), deadline, cancelled_)))
      return finish(false);
    // Bytes OpenSSL already decrypted do not show on the socket: read them before polling.
    if (!tls || !tls->pending()) {
      pollfd fds[2] = {{fd, POLLIN, 0}, {wake_.fd(), POLLIN, 0}};
      int r = ::poll(fds, 2, poll_slice_ms(deadline));
      if (r < 0 && errno != EINTR) return finish(false);
      if (r <= 0) continue;
      if (fds[1].revents & POLLIN) {
        wake_.drain();
      }
      if (fds[0].revents == 0) continue;
    }
    ssize_t n;
    if (tls) {
      n = tls->read(buf, sizeof buf);
      if (n == -2) continue;
    } else {
      n = ::recv(fd, buf, sizeof buf, 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    }
    ResponseReader::Progress p;
    if (n > 0) {
      p = reader.feed(buf, static_cast<size_t>(n), sink);
    } else if (n == 0) {
      p = reader.eof(sink);
    } else {
      p = ResponseReader::Progress::Error;
    }
    if (p == ResponseReader::Progress::Done) return finish(true);
    if (p == ResponseReader::Progress::Error) return finish(false);
  }
}

}  // namespace envoyext::host
