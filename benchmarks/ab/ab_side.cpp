// One side of bench_ab: the end-to-end contenders (e2e_contenders.hpp) built against one
// revision's headers. CMake compiles this file twice, with AB_SIDE set to a or b and the
// project's namespaces renamed per side (alm -> alm_a, ...), so that two versions of the SDK
// link into one binary without sharing a single inline function. Side a also provides the floors
// (AB_WITH_FLOORS).
#include "e2e_contenders.hpp"  // first: it allows OpenSSL's deprecated functions

#include "ab/ab_contender.hpp"

#define AB_JOIN2(a, b) a##b
#define AB_JOIN(a, b) AB_JOIN2(a, b)
#define AB_EXPORT(name) AB_JOIN(name, AB_SIDE)

namespace {

/// A contender over the ring of `body_size` bodies, warmed up (every key seen once), kept for
/// the life of the process.
template <class Contender>
ab_contender make(std::size_t body_size) {
  using namespace e2e_bench;
  using calls = ring_contender<Contender>;
  const request_ring& ring = ring_of(body_size);
  auto* contender = new Contender(ring);
  auto* state = new calls(ring, *contender);
  if (!state->warm()) return {nullptr, nullptr};
  return {state, [](void* self) { return (*static_cast<calls*>(self))(); }};
}

}  // namespace

extern "C" ab_contender AB_EXPORT(ab_sdk_)(std::size_t body_size) {
  return make<e2e_bench::sdk_endpoint>(body_size);
}

#if AB_WITH_FLOORS
extern "C" ab_contender ab_floors(std::size_t body_size) {
  return make<e2e_bench::floors>(body_size);
}
#endif
