// The interface between bench_ab's runner and its two sides: each side (ab_side.cpp, built
// against one revision's headers) hands out its contenders as a plain object and call pointer,
// so that the runner needs neither revision's types.
#pragma once

#include <cstddef>

extern "C" {

/// One contender: `call(self)` handles the next request of its ring; false on failure.
/// `dispatched_all(self)` tells whether every event of every request so far reached the visitor
/// (none skipped as a duplicate, which would make a side look faster than it is).
struct ab_contender {
  void* self;
  bool (*call)(void* self);
  bool (*dispatched_all)(void* self);
};

/// Each side's SDK endpoint over the ring of `body_size` bodies.
ab_contender ab_sdk_a(std::size_t body_size);
ab_contender ab_sdk_b(std::size_t body_size);
/// The sum of the floors over the same bodies (side a only: the floors are not the SDK).
ab_contender ab_floors(std::size_t body_size);
}
