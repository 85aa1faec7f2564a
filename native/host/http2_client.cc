#include "http2_client.h"

#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "socket_io.h"

namespace envoyext::host {

namespace {

// Hop-by-hop headers HTTP/2 forbids; an HTTP/1-shaped header list from a module may carry them.
bool connection_specific(const std::string& name) {
  return name == "connection" || name == "keep-alive" || name == "proxy-connection" || name == "transfer-encoding" ||
         name == "upgrade" || name == "host" || name == "content-length";
}

nghttp2_nv nv(const std::string& name, const std::string& value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(), NGHTTP2_NV_FLAG_NONE};
}

// The request's header block: pseudo-headers first (":scheme" defaults to http), then the rest.
struct RequestBlock {
  HeaderList owned;
  std::vector<nghttp2_nv> nva;

  explicit RequestBlock(const HeaderList& headers) {
    std::string method = "GET", path = "/", scheme = "http", authority;
    for (const auto& [k, v] : headers) {
      if (k == ":method")
        method = v;
      else if (k == ":path")
        path = v;
      else if (k == ":scheme")
        scheme = v;
      else if (k == ":authority" || (k == "host" && authority.empty()))
        authority = v;
    }
    owned.emplace_back(":method", method);
    owned.emplace_back(":scheme", scheme);
    owned.emplace_back(":authority", authority);
    owned.emplace_back(":path", path);
    for (const auto& [k, v] : headers) {
      if (!k.empty() && k[0] != ':' && !connection_specific(k)) owned.emplace_back(k, v);
    }
    for (const auto& [k, v] : owned) nva.push_back(nv(k, v));
  }
};

// What the session callbacks see while one exchange runs (exchange thread only).
struct Session {
  Http2Exchange* exchange = nullptr;
  const ExchangeSink* sink = nullptr;
  int32_t stream_id = -1;
  HeaderList block;  // the header block being received
  std::string data;  // the DATA frame being received
  bool response_started = false;
  bool response_ended = false;
  bool closed = false;
  uint32_t close_error = 0;
  HeaderList trailer_storage;  // keeps the trailers' bytes alive until nghttp2 has framed them
};

int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto* s = static_cast<Session*>(user);
  if (frame->hd.stream_id == s->stream_id) s->block.clear();
  return 0;
}

int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen, const uint8_t* value,
              size_t valuelen, uint8_t, void* user) {
  auto* s = static_cast<Session*>(user);
  if (frame->hd.stream_id != s->stream_id) return 0;
  s->block.emplace_back(std::string(reinterpret_cast<const char*>(name), namelen),
                        std::string(reinterpret_cast<const char*>(value), valuelen));
  return 0;
}

int on_data_chunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data, size_t len, void* user) {
  auto* s = static_cast<Session*>(user);
  if (stream_id == s->stream_id) s->data.append(reinterpret_cast<const char*>(data), len);
  return 0;
}

int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto* s = static_cast<Session*>(user);
  if (frame->hd.stream_id != s->stream_id) return 0;
  bool end = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  if (frame->hd.type == NGHTTP2_HEADERS) {
    if (!s->response_started) {
      // 1xx informational heads are not the response (Envoy does not pass them to callouts).
      bool informational = !s->block.empty() && s->block.front().first == ":status" &&
                           s->block.front().second.size() == 3 && s->block.front().second[0] == '1';
      if (informational) return 0;
      s->response_started = true;
      s->response_ended = end;
      s->sink->headers(std::move(s->block), end);
    } else {
      s->response_ended = true;
      s->sink->trailers(std::move(s->block));
    }
    s->block.clear();
  } else if (frame->hd.type == NGHTTP2_DATA && s->response_started) {
    if (!s->data.empty() || end) s->sink->data(std::move(s->data), end);
    s->data.clear();
    if (end) s->response_ended = true;
  }
  return 0;
}

int on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* user) {
  auto* s = static_cast<Session*>(user);
  if (stream_id != s->stream_id) return 0;
  s->closed = true;
  s->close_error = error_code;
  return 0;
}

ssize_t read_body(nghttp2_session* session, int32_t stream_id, uint8_t* buf, size_t length, uint32_t* flags,
                  nghttp2_data_source* source, void* user) {
  auto* s = static_cast<Session*>(user);
  auto* exchange = static_cast<Http2Exchange*>(source->ptr);
  HeaderList trailers;
  auto pulled = exchange->pull(buf, length, trailers);
  if (pulled.ended) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    if (pulled.trailers) {
      *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
      s->trailer_storage = std::move(trailers);
      std::vector<nghttp2_nv> nva;
      for (const auto& [k, v] : s->trailer_storage) nva.push_back(nv(k, v));
      if (nghttp2_submit_trailer(session, stream_id, nva.data(), nva.size()) != 0)
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    return static_cast<ssize_t>(pulled.copied);
  }
  if (pulled.copied == 0) return NGHTTP2_ERR_DEFERRED;
  return static_cast<ssize_t>(pulled.copied);
}

// Frames everything the session wants to send and writes it.
bool flush(nghttp2_session* session, int fd, SteadyClock::time_point deadline, const std::atomic<bool>& cancelled) {
  for (;;) {
    const uint8_t* bytes = nullptr;
    ssize_t n = nghttp2_session_mem_send(session, &bytes);
    if (n < 0) return false;
    if (n == 0) return true;
    if (!write_all(fd, reinterpret_cast<const char*>(bytes), static_cast<size_t>(n), deadline, cancelled)) return false;
  }
}

}  // namespace

Http2Exchange::Http2Exchange(std::string address, HeaderList headers, std::string body, bool end_stream,
                             uint64_t timeout_ms)
    : address_(std::move(address)),
      headers_(std::move(headers)),
      headers_only_(end_stream && body.empty()),
      timeout_ms_(timeout_ms),
      outbox_(std::move(body)),
      request_ended_(end_stream) {}

Http2Exchange::~Http2Exchange() = default;

bool Http2Exchange::send_data(std::string_view data, bool end_stream) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (request_ended_ || cancelled_.load()) return false;
    outbox_.append(data);
    request_ended_ = end_stream;
  }
  wake_.notify();
  return true;
}

bool Http2Exchange::send_trailers(const HeaderList& trailers) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (request_ended_ || cancelled_.load()) return false;
    trailers_ = trailers;
    has_trailers_ = true;
    request_ended_ = true;
  }
  wake_.notify();
  return true;
}

void Http2Exchange::cancel() {
  cancelled_.store(true);
  wake_.notify();
}

Http2Exchange::Pull Http2Exchange::pull(uint8_t* out, size_t length, HeaderList& trailers_out) {
  std::lock_guard<std::mutex> lock(mutex_);
  Pull p;
  p.copied = outbox_.size() < length ? outbox_.size() : length;
  std::memcpy(out, outbox_.data(), p.copied);
  outbox_.erase(0, p.copied);
  if (outbox_.empty() && request_ended_) {
    p.ended = true;
    p.trailers = has_trailers_;
    if (has_trailers_) trailers_out = std::move(trailers_);
  }
  return p;
}

void Http2Exchange::run(const ExchangeSink& sink, const std::atomic<bool>& host_cancelled) {
  // Timeout 0 is "none" in Envoy; the host bounds it so shutdown can join the thread.
  auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms_ == 0 ? 60000 : timeout_ms_);
  auto stopped = [&] { return cancelled_.load() || host_cancelled.load(); };
  int fd = connect_with_deadline(address_, deadline, cancelled_);
  if (fd < 0) {
    if (!stopped()) sink.reset();
    return;
  }
  Session state;
  state.exchange = this;
  state.sink = &sink;
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
  nghttp2_session* session = nullptr;
  nghttp2_session_client_new(&session, callbacks, &state);
  nghttp2_session_callbacks_del(callbacks);

  auto finish = [&](bool ok) {
    nghttp2_session_del(session);
    ::close(fd);
    if (stopped()) return;
    if (ok)
      sink.complete();
    else
      sink.reset();
  };

  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, nullptr, 0);
  RequestBlock block(headers_);
  nghttp2_data_provider body{};
  body.source.ptr = this;
  body.read_callback = read_body;
  state.stream_id = nghttp2_submit_request(session, nullptr, block.nva.data(), block.nva.size(),
                                           headers_only_ ? nullptr : &body, nullptr);
  if (state.stream_id < 0) return finish(false);

  uint8_t buf[16384];
  for (;;) {
    if (stopped() || SteadyClock::now() >= deadline) return finish(false);
    if (!flush(session, fd, deadline, cancelled_)) return finish(false);
    if (state.closed) return finish(state.close_error == NGHTTP2_NO_ERROR && state.response_ended);
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_.fd(), POLLIN, 0}};
    int r = ::poll(fds, 2, poll_slice_ms(deadline));
    if (r < 0 && errno != EINTR) return finish(false);
    if (r <= 0) continue;
    if (fds[1].revents & POLLIN) {
      wake_.drain();
      nghttp2_session_resume_data(session, state.stream_id);  // fails harmlessly when not deferred
    }
    if (fds[0].revents == 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return finish(false);  // the connection ended before the stream did
    if (nghttp2_session_mem_recv(session, buf, static_cast<size_t>(n)) < 0) return finish(false);
  }
}

}  // namespace envoyext::host
