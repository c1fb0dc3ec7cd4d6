// Function attributes that place code: hot paths folded together, error paths kept apart.
#pragma once

// COLD keeps error paths out of the hot code (errors are rare and may allocate), so that what a
// request runs stays small in the instruction cache; INLINE folds the small per-field readers
// into the member loop of each struct, as a hand-written loop would be; NOINLINE keeps a bulky,
// less common path out of it.
#if defined(__GNUC__) || defined(__clang__)
#define ALM_WEBHOOKS_COLD __attribute__((noinline, cold))
#define ALM_WEBHOOKS_INLINE inline __attribute__((always_inline))
#define ALM_WEBHOOKS_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define ALM_WEBHOOKS_COLD __declspec(noinline)
#define ALM_WEBHOOKS_INLINE __forceinline
#define ALM_WEBHOOKS_NOINLINE __declspec(noinline)
#else
#define ALM_WEBHOOKS_COLD
#define ALM_WEBHOOKS_INLINE inline
#define ALM_WEBHOOKS_NOINLINE
#endif
