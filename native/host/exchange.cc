#include "exchange.h"

#include "http2_client.h"
#include "http_client.h"

namespace envoyext::host {

std::shared_ptr<Exchange> make_exchange(const Upstream& upstream, HeaderList headers, std::string body, bool end_stream,
                                        uint64_t timeout_ms) {
  if (upstream.http2)
    return std::make_shared<Http2Exchange>(upstream.address, std::move(headers), std::move(body), end_stream,
                                           timeout_ms);
  return std::make_shared<HttpExchange>(upstream.address, upstream.tls, std::move(headers), std::move(body), end_stream,
                                        timeout_ms);
}

}  // namespace envoyext::host
