// Optional adapter: serve an alm::webhooks::endpoint from Boost.Beast (headers only; link
// pthread).
//
//     auto res = alm::webhooks::adapters::handle(endpoint, request);  // in your own server
//
// or, for a small synchronous server, serve_connection() on each accepted socket (one thread
// per connection), which also reads bodies into padded buffers so the parser needs no copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/http.hpp"

namespace alm::webhooks::adapters {

namespace beast_http = boost::beast::http;
using beast_request = beast_http::request<beast_http::string_body>;
using beast_response = beast_http::response<beast_http::string_body>;

namespace detail {
// After refusing a request early: stop sending, then read and discard what the client still
// sends (up to `cap` bytes) before closing, so that it reads the answer instead of a reset.
inline void lingering_close(boost::asio::ip::tcp::socket& socket, std::size_t cap) {
  boost::beast::error_code ec;
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  char scratch[16 * 1024];
  for (std::size_t total = 0; !ec && total < cap;) {
    total += socket.read_some(boost::asio::buffer(scratch), ec);
  }
}

inline std::string_view view(boost::beast::string_view s) noexcept {
  return std::string_view(s.data(), s.size());
}
inline boost::beast::string_view view(std::string_view s) noexcept {
  return boost::beast::string_view(s.data(), s.size());
}
}  // namespace detail

/// A request_view over a Beast request, valid while `req` and `headers` are. `headers` is the
/// caller's storage for the header array (cleared and refilled; its capacity is reused). The
/// body is parsed in place when its spare capacity covers simdjson's padding (reserve
/// content length + simdjson::SIMDJSON_PADDING before reading it, as serve_connection does).
inline request_view to_request_view(const beast_request& req, std::vector<http_header>& headers) {
  headers.clear();
  for (const auto& field : req) {
    headers.push_back(http_header{detail::view(field.name_string()), detail::view(field.value())});
  }
  request_view view;
  view.method = detail::view(req.method_string());
  view.target = detail::view(req.target());
  view.headers = header_list(headers.data(), headers.size());
  view.body = req.body();
  view.body_padding = req.body().capacity() - req.body().size();
  return view;
}

/// An endpoint response as a Beast response for HTTP `version` (11 for HTTP/1.1).
inline beast_response to_beast_response(const response& r, unsigned version, bool keep_alive) {
  beast_response res{static_cast<beast_http::status>(r.status), version};
  res.set(beast_http::field::content_type, detail::view(r.content_type));
  r.for_each_header([&res](std::string_view name, std::string_view value) {
    res.set(detail::view(name), detail::view(value));
  });
  res.body().assign(r.body().data(), r.body().size());
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

/// Runs one Beast request through `ep`.
inline beast_response handle(const endpoint& ep, const beast_request& req) {
  thread_local std::vector<http_header> headers;  // one per serving thread, reused
  return to_beast_response(ep.handle(to_request_view(req, headers)), req.version(),
                           req.keep_alive());
}

/// A minimal synchronous HTTP/1.1 connection loop: reads requests from `socket` until the peer
/// closes or asks to, answers those for `path` (the target without its query) through `ep` and
/// the others with 404. Bodies over endpoint_options::max_body_size get 413 before they are
/// read, and the connection is closed (after discarding up to 8 MiB more of the request). Blocking:
/// run it on a thread per connection (or write your own loop around handle()). Returns the first
/// I/O error, or success on a clean close.
inline boost::beast::error_code serve_connection(boost::asio::ip::tcp::socket& socket,
                                                 const endpoint& ep, std::string_view path) {
  boost::beast::flat_buffer buffer;
  boost::beast::error_code ec;
  for (;;) {
    beast_http::request_parser<beast_http::string_body> reader;
    reader.body_limit(static_cast<std::uint64_t>(ep.options().max_body_size));
    beast_http::read_header(socket, buffer, reader, ec);
    if (ec == beast_http::error::end_of_stream) break;
    if (!ec) {
      // Room for simdjson's padding, so the parser reads the body where it lies.
      if (const auto length = reader.content_length()) {
        reader.get().body().reserve(static_cast<std::size_t>(*length) + simdjson::SIMDJSON_PADDING);
      }
      beast_http::read(socket, buffer, reader, ec);
    }
    if (ec == beast_http::error::body_limit) {
      const response refused = ep.reject(
          webhooks::error{error_code::body_too_large, "the body is over the size limit", {}});
      beast_response res = to_beast_response(refused, reader.get().version(), false);
      beast_http::write(socket, res, ec);
      detail::lingering_close(socket, std::size_t{8} << 20);
      return {};
    }
    if (ec) return ec;
    const beast_request& req = reader.get();
    const std::string_view target = detail::view(req.target());
    beast_response res;
    if (target.substr(0, target.find('?')) == path) {
      res = handle(ep, req);
    } else {
      res = beast_response{beast_http::status::not_found, req.version()};
      res.set(beast_http::field::content_type, "application/json");
      res.body() = R"({"error":"not_found"})";
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
    }
    beast_http::write(socket, res, ec);
    if (ec) return ec;
    if (!res.keep_alive()) break;
  }
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  return {};
}

}  // namespace alm::webhooks::adapters
