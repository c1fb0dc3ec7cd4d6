// One side of bench_ab: the end-to-end contenders (e2e_contenders.hpp) built against one
// revision's headers. CMake compiles this file twice, with AB_SIDE set to a or b and the
// project's namespaces renamed per side (alm -> alm_a, ...), so that two versions of the SDK
// link into one binary without sharing a single inline function. Side a also provides the floors
// (AB_WITH_FLOORS).
#include "e2e_contenders.hpp"  // first: it allows OpenSSL's deprecated functions

#include "ab/ab_contender.hpp"

#include <type_traits>

#define AB_JOIN2(a, b) a##b
#define AB_JOIN(a, b) AB_JOIN2(a, b)
#define AB_EXPORT(name) AB_JOIN(name, AB_SIDE)

namespace {

/// A contender and the calls over its ring, kept together for the life of the process.
template <class Contender>
struct ring_state {
  explicit ring_state(const e2e_bench::request_ring& r)
      : ring(r), contender(r), calls(r, contender) {}
  const e2e_bench::request_ring& ring;
  Contender contender;
  e2e_bench::ring_contender<Contender> calls;
};

/// A contender over the ring of `body_size` bodies, warmed up (every key seen once).
template <class Contender>
ab_contender make(std::size_t body_size) {
  using state = ring_state<Contender>;
  auto* s = new state(e2e_bench::ring_of(body_size));
  if (!s->calls.warm()) return {nullptr, nullptr, nullptr};
  const auto call = [](void* self) { return static_cast<state*>(self)->calls(); };
  const auto dispatched_all = [](void* self) {
    const state& st = *static_cast<const state*>(self);
    if constexpr (std::is_same_v<Contender, e2e_bench::sdk_endpoint>) {
      return st.contender.dispatched_all(st.calls.calls(), st.ring);
    } else {
      return true;  // the floors have no visitor
    }
  };
  return {s, call, dispatched_all};
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
