// Every replaceable form of the global operator new and delete (plain, array, nothrow, aligned)
// over malloc, aligned_alloc and free, each allocation first reported to
// `note_heap_allocation()`, which the including program defines. Include it in exactly ONE
// translation unit of a program; the tests (allocation_counter.hpp) and the benchmarks
// (allocation_counter.cpp) count with it.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

/// Called on every allocation through operator new; defined by the including program.
void note_heap_allocation() noexcept;

namespace counting_global_new {
inline void* allocate(std::size_t size) noexcept {
  note_heap_allocation();
  return std::malloc(size == 0 ? 1 : size);
}
inline void* allocate_aligned(std::size_t size, std::align_val_t alignment) noexcept {
  note_heap_allocation();
  const auto align = static_cast<std::size_t>(alignment);
  // aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size + align - 1) / align * align;
  return std::aligned_alloc(align, rounded == 0 ? align : rounded);
}
inline void* or_throw(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace counting_global_new

void* operator new(std::size_t size) {
  return counting_global_new::or_throw(counting_global_new::allocate(size));
}
void* operator new[](std::size_t size) {
  return counting_global_new::or_throw(counting_global_new::allocate(size));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counting_global_new::allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counting_global_new::allocate(size);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return counting_global_new::or_throw(counting_global_new::allocate_aligned(size, alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return counting_global_new::or_throw(counting_global_new::allocate_aligned(size, alignment));
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return counting_global_new::allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return counting_global_new::allocate_aligned(size, alignment);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
