#include "base/decimal_text.h"

#include <cstdio>
#include <cstdlib>

namespace hb {

double ParseDecimal(const char* s) { return std::strtod(s, nullptr); }

std::string FormatExponential(double v, int digits) {
  char buf[96];
  if (digits >= 0) {
    std::snprintf(buf, sizeof(buf), "%.*e", digits, v);
  } else {
    for (int precision = 1; precision <= 17; ++precision) {
      std::snprintf(buf, sizeof(buf), "%.*e", precision - 1, v);
      if (std::strtod(buf, nullptr) == v) break;
    }
  }
  return buf;
}

}  // namespace hb
