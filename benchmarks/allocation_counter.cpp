// The replacement global allocation functions behind allocation_counter.hpp
// (counting_global_new.hpp), counting with a relaxed atomic increment per allocation. OpenSSL
// allocates with malloc directly; its allocation hooks count those too.
#include "allocation_counter.hpp"

#include <atomic>
#include <cstdlib>

#include <openssl/crypto.h>

#include "../tests/support/counting_global_new.hpp"

namespace {

std::atomic<std::uint64_t> allocations{0};

void* crypto_malloc(std::size_t size, const char*, int) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size);
}

void* crypto_realloc(void* p, std::size_t size, const char*, int) {
  if (p == nullptr) allocations.fetch_add(1, std::memory_order_relaxed);
  return std::realloc(p, size);
}

void crypto_free(void* p, const char*, int) {
  std::free(p);
}

// Before main(), so before OpenSSL allocates anything (the hooks can only be set until then).
const bool crypto_hooks_set = CRYPTO_set_mem_functions(crypto_malloc, crypto_realloc, crypto_free);

}  // namespace

std::uint64_t bench::allocation_count() noexcept {
  return allocations.load(std::memory_order_relaxed);
}

void note_heap_allocation() noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
}
