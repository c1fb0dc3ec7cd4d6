// Optional adapter: serve an alm::webhooks::endpoint from a cpp-httplib server.
//
//     httplib::Server server;
//     alm::webhooks::adapters::mount(server, "/alm/webhooks", endpoint);
//     server.listen("0.0.0.0", 8080);
//
// Needs <httplib.h> (header-only, or Debian's libcpp-httplib-dev: link its library). Set the
// server's payload limit near endpoint_options::max_body_size so that larger bodies are refused
// before they are read: server.set_payload_max_length(...).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>
#include <simdjson.h>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/http.hpp"

namespace alm::webhooks::adapters {

/// A request_view over an httplib request, valid while `req` and `headers` are. `headers` is
/// the caller's storage for the header array (cleared and refilled; its capacity is reused).
/// The body is parsed in place when the std::string's spare capacity covers simdjson's padding,
/// else the parser copies it once.
inline request_view to_request_view(const ::httplib::Request& req,
                                    std::vector<http_header>& headers) {
  headers.clear();
  for (const auto& [name, value] : req.headers)
    headers.push_back(http_header{name, value});
  request_view view;
  view.method = req.method;
  view.target = req.target;
  view.headers = header_list(headers.data(), headers.size());
  view.body = req.body;
  view.body_padding = req.body.capacity() - req.body.size();
  return view;
}

/// Copies an endpoint response into an httplib response.
inline void write_response(const response& r, ::httplib::Response& res) {
  res.status = r.status;
  r.for_each_header([&res](std::string_view name, std::string_view value) {
    res.set_header(std::string(name), std::string(value));
  });
  const std::string_view body = r.body();
  res.set_content(body.data(), body.size(), std::string(r.content_type));
}

/// Runs one httplib request through `ep`.
inline void handle(const endpoint& ep, const ::httplib::Request& req, ::httplib::Response& res) {
  thread_local std::vector<http_header> headers;  // one per server thread, reused
  write_response(ep.handle(to_request_view(req, headers)), res);
}

namespace detail {
/// `path` as an httplib route pattern (a regex) that matches exactly that path.
inline std::string exact_route(std::string_view path) {
  std::string pattern;
  for (const char c : path) {
    if (std::string_view(R"(\^$.|?*+()[]{})").find(c) != std::string_view::npos) {
      pattern.push_back('\\');
    }
    pattern.push_back(c);
  }
  return pattern;
}
}  // namespace detail

/// Serves `ep` at exactly `path` (no pattern: special characters match themselves), for every
/// method httplib routes, so that the endpoint itself answers 405 to the wrong ones. `ep` must
/// outlive the server's use of it.
inline void mount(::httplib::Server& server, std::string_view path, const endpoint& ep) {
  const std::string route = detail::exact_route(path);
  const ::httplib::Server::Handler handler =
      [&ep](const ::httplib::Request& req, ::httplib::Response& res) { handle(ep, req, res); };
  server.Get(route, handler);  // also HEAD
  server.Post(route, handler);
  server.Put(route, handler);
  server.Patch(route, handler);
  server.Delete(route, handler);
  server.Options(route, handler);
}

}  // namespace alm::webhooks::adapters
