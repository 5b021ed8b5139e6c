// Number <-> decimal text for the JSON reader/writer. Native builds use the C library; the wasm
// build swaps in wasm/js_decimal_text.cc, which asks the JS engine (Number(), toExponential():
// both correctly rounded) so musl's strtod and printf("%e") (~20 KB of long-double code) stay out
// of the module.
#ifndef HUMMINGBERT_BASE_DECIMAL_TEXT_H_
#define HUMMINGBERT_BASE_DECIMAL_TEXT_H_

#include <string>

namespace hb {

// The double nearest to the decimal number in `s` (JSON number syntax, already validated);
// +-inf when out of range.
double ParseDecimal(const char* s);

// "d[.ddd]e[+-]x" for finite v > 0: `digits` digits after the point, or, for digits < 0, the
// shortest correctly rounded digits that read back as v.
std::string FormatExponential(double v, int digits);

// Any double as text for messages: shortest round-trip digits, "0", "nan", "inf" or "-inf".
// (std::to_string(float) would pull printf's float formatting into the wasm module.)
inline std::string NumberText(double v) {
  if (v != v) return "nan";
  if (v == 0) return "0";
  const bool negative = v < 0;
  const double a = negative ? -v : v;
  if (a > 1.7976931348623157e308) return negative ? "-inf" : "inf";
  return (negative ? "-" : "") + FormatExponential(a, -1);
}

}  // namespace hb

#endif  // HUMMINGBERT_BASE_DECIMAL_TEXT_H_
