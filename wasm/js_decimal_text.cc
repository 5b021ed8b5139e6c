// The wasm build's base/decimal_text.h: the JS engine converts numbers (see the header for why).
#include <emscripten.h>

#include "base/decimal_text.h"

namespace {

EM_JS(double, hb_js_parse_decimal, (const char* s), { return Number(UTF8ToString(s)); });
EM_JS(int, hb_js_to_exponential, (double v, int digits, char* out, int size), {
  return stringToUTF8(digits < 0 ? v.toExponential() : v.toExponential(digits), out, size);
});

}  // namespace

namespace hb {

double ParseDecimal(const char* s) { return hb_js_parse_decimal(s); }

std::string FormatExponential(double v, int digits) {
  char buf[96];
  hb_js_to_exponential(v, digits, buf, sizeof(buf));
  return buf;
}

}  // namespace hb
