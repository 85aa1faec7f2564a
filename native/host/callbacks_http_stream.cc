// Streaming HTTP callouts from a filter (start_http_stream): a real HTTP/1.1 exchange with the
// cluster's loopback endpoint (exchange.h), HTTP/1.1 or HTTP/2 as the cluster says. As in Envoy 1.40:
//  * ids come from the filter's callout counter (shared with one-shot callouts);
//  * the response arrives as http_stream_headers / _data / _trailers, then exactly one of
//    http_stream_complete or http_stream_reset, all on the stream's worker; the id is invalid after;
//  * failure, timeout and a module reset all report LocalReset (Envoy has no finer reason here), and
//    a module reset reports it synchronously, inside reset_http_stream;
//  * nothing is delivered once the filter is destroyed (destroy cancels the open exchanges).
#include <vector>

#include "callback_support.h"
#include "callout_runner.h"
#include "event_loop.h"
#include "filter_config.h"
#include "host.h"
#include "exchange.h"

using namespace envoyext::host;

namespace {

// Where an exchange's frames go: one open stream id of one filter of one stream.
struct Target {
  std::weak_ptr<Stream> stream;
  std::shared_ptr<EventLoop> loop;
  size_t index;
  uint64_t id;
  const Exchange* exchange;
};

// Posts `deliver(slot)` to the worker; it runs only while the filter lives and the id is still open
// for this exchange. A terminal frame closes the id before the hook runs.
template <typename Fn>
void post_frame(const Target& t, bool terminal, Fn deliver) {
  t.loop->post([t, terminal, deliver = std::move(deliver)]() mutable {
    auto st = t.stream.lock();
    if (!st || st->destroyed()) return;
    FilterSlot& fs = st->slot(t.index);
    auto it = fs.http_streams.find(t.id);
    if (it == fs.http_streams.end() || it->second.get() != t.exchange) return;
    std::shared_ptr<Exchange> keep;
    if (terminal) {
      keep = std::move(it->second);
      fs.http_streams.erase(it);
    }
    deliver(fs);
  });
}

std::vector<envoy_dynamic_module_type_envoy_http_header> envoy_headers(const HeaderList& list) {
  std::vector<envoy_dynamic_module_type_envoy_http_header> out;
  out.reserve(list.size());
  for (const auto& [k, v] : list) {
    out.push_back({const_cast<char*>(k.data()), k.size(), const_cast<char*>(v.data()), v.size()});
  }
  return out;
}

ExchangeSink sink_for(const Target& t) {
  ExchangeSink sink;
  sink.headers = [t](HeaderList&& headers, bool end_stream) {
    post_frame(t, false, [t, headers = std::move(headers), end_stream](FilterSlot& fs) {
      auto views = envoy_headers(headers);
      fs.config->hooks().http_stream_headers(&fs, fs.module_filter, t.id, views.data(), views.size(), end_stream);
    });
  };
  sink.data = [t](std::string&& data, bool end_stream) {
    post_frame(t, false, [t, data = std::move(data), end_stream](FilterSlot& fs) {
      envoy_dynamic_module_type_envoy_buffer buffer = envoy_view(data);
      fs.config->hooks().http_stream_data(&fs, fs.module_filter, t.id, data.empty() ? nullptr : &buffer,
                                          data.empty() ? 0 : 1, end_stream);
    });
  };
  sink.trailers = [t](HeaderList&& trailers) {
    post_frame(t, false, [t, trailers = std::move(trailers)](FilterSlot& fs) {
      auto views = envoy_headers(trailers);
      fs.config->hooks().http_stream_trailers(&fs, fs.module_filter, t.id, views.data(), views.size());
    });
  };
  sink.complete = [t] {
    post_frame(t, true, [t](FilterSlot& fs) { fs.config->hooks().http_stream_complete(&fs, fs.module_filter, t.id); });
  };
  sink.reset = [t] {
    post_frame(t, true, [t](FilterSlot& fs) {
      fs.config->hooks().http_stream_reset(&fs, fs.module_filter, t.id,
                                           envoy_dynamic_module_type_http_stream_reset_reason_LocalReset);
    });
  };
  return sink;
}

// The open exchange `id` of a live filter, or null.
Exchange* open_exchange(envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t id) {
  if (live_stream(fe) == nullptr) return nullptr;
  auto& streams = slot_of(fe)->http_streams;
  auto it = streams.find(id);
  return it == streams.end() ? nullptr : it->second.get();
}

}  // namespace

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_callout_init_result
envoy_dynamic_module_callback_http_filter_start_http_stream(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t* stream_id_out,
    envoy_dynamic_module_type_module_buffer cluster_name, envoy_dynamic_module_type_module_http_header* headers,
    size_t headers_size, envoy_dynamic_module_type_module_buffer body, bool end_stream, uint64_t timeout_milliseconds) {
  Stream* s = live_stream(fe);
  if (s == nullptr || s->finished()) return envoy_dynamic_module_type_http_callout_init_result_CannotCreateRequest;
  HeaderList list = to_header_list(headers, headers_size);
  Upstream upstream;
  auto init = check_callout_target(s->host(), cluster_name, list, upstream);
  if (init != envoy_dynamic_module_type_http_callout_init_result_Success) return init;
  FilterSlot* slot = slot_of(fe);
  uint64_t id = slot->next_callout_id++;
  if (stream_id_out != nullptr) *stream_id_out = id;
  auto exchange = make_exchange(upstream, std::move(list), std::string(view(body)), end_stream, timeout_milliseconds);
  slot->http_streams.emplace(id, exchange);
  Target target{s->weak_from_this(), s->loop_ptr(), slot->index, id, exchange.get()};
  s->host().callouts().run(
      [exchange, sink = sink_for(target)](const std::atomic<bool>& cancelled) { exchange->run(sink, cancelled); });
  return envoy_dynamic_module_type_http_callout_init_result_Success;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_stream_send_data(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t stream_id,
    envoy_dynamic_module_type_module_buffer data, bool end_stream) {
  Exchange* exchange = open_exchange(fe, stream_id);
  return exchange != nullptr && exchange->send_data(view(data), end_stream);
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_stream_send_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t stream_id,
    envoy_dynamic_module_type_module_http_header* trailers, size_t trailers_size) {
  Exchange* exchange = open_exchange(fe, stream_id);
  return exchange != nullptr && exchange->send_trailers(to_header_list(trailers, trailers_size));
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_reset_http_stream(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t stream_id) {
  if (live_stream(fe) == nullptr) return;
  FilterSlot* slot = slot_of(fe);
  auto it = slot->http_streams.find(stream_id);
  if (it == slot->http_streams.end()) return;
  std::shared_ptr<Exchange> exchange = std::move(it->second);
  slot->http_streams.erase(it);
  exchange->cancel();
  slot->config->hooks().http_stream_reset(slot, slot->module_filter, stream_id,
                                          envoy_dynamic_module_type_http_stream_reset_reason_LocalReset);
}
