// Overflow-checked size arithmetic for parsers: every size that comes from a file goes through
// these before it is used to index or allocate, so a hostile header cannot wrap a size_t.
#ifndef HB_BASE_CHECKED_MATH_H_
#define HB_BASE_CHECKED_MATH_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace hb {

// *out = a + b. Returns false (leaving *out unspecified) if the sum does not fit in T.
template <typename T>
[[nodiscard]] inline bool CheckedAdd(T a, T b, T* out) {
  static_assert(std::is_integral_v<T>, "integers only");
  return !__builtin_add_overflow(a, b, out);
}

// *out = a * b. Returns false (leaving *out unspecified) if the product does not fit in T.
template <typename T>
[[nodiscard]] inline bool CheckedMul(T a, T b, T* out) {
  static_assert(std::is_integral_v<T>, "integers only");
  return !__builtin_mul_overflow(a, b, out);
}

// *out = the product of n non-negative dims (1 for n == 0, a scalar). Returns false if any dim is
// negative or the product exceeds `limit`; the check is exact because each step is bounded.
[[nodiscard]] inline bool CheckedProduct(const int64_t* dims, size_t n, uint64_t limit,
                                         uint64_t* out) {
  uint64_t product = 1;
  for (size_t i = 0; i < n; ++i) {
    if (dims[i] < 0) return false;
    if (!CheckedMul(product, static_cast<uint64_t>(dims[i]), &product)) return false;
    if (product > limit) return false;
  }
  *out = product;
  return true;
}

// True if `value` (unsigned) can be represented as a T.
template <typename T>
[[nodiscard]] constexpr bool FitsIn(uint64_t value) {
  return value <= static_cast<uint64_t>(std::numeric_limits<T>::max());
}

}  // namespace hb

#endif  // HB_BASE_CHECKED_MATH_H_
