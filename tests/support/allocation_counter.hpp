// Counts heap allocations, for the tests that prove a path allocates nothing once warm.
// Include it in exactly ONE translation unit of a program: it replaces the global operator new
// and delete (every form, aligned and nothrow included) with versions that count, while
// `counting` is set on the calling thread, into `allocations`.
#pragma once

#include <atomic>
#include <cstddef>

namespace test_support {

inline std::atomic<std::size_t> allocations{0};
inline thread_local bool counting = false;

/// Counts this thread's allocations while alive.
class allocation_scope {
 public:
  allocation_scope() noexcept {
    allocations = 0;
    counting = true;
  }
  ~allocation_scope() { counting = false; }
  allocation_scope(const allocation_scope&) = delete;
  allocation_scope& operator=(const allocation_scope&) = delete;
};

}  // namespace test_support

#if defined(__SANITIZE_THREAD__)
#define ALM_WEBHOOKS_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ALM_WEBHOOKS_TEST_TSAN 1
#endif
#endif

#if defined(ALM_WEBHOOKS_TEST_TSAN)
// ThreadSanitizer defines every operator new and delete itself, so they cannot be replaced; it
// reports each heap allocation (malloc too) to hooks instead.
#include <sanitizer/allocator_interface.h>

namespace test_support::detail {
inline void count_allocation(const volatile void*, std::size_t) {
  if (counting) ++allocations;
}
inline void ignore_free(const volatile void*) {}
inline const int hooks_installed =
    __sanitizer_install_malloc_and_free_hooks(count_allocation, ignore_free);
}  // namespace test_support::detail
#else
#include "counting_global_new.hpp"

void note_heap_allocation() noexcept {
  if (test_support::counting) ++test_support::allocations;
}
#endif
