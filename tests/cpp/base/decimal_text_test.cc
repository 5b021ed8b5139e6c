// Number <-> text (natively the C library, in wasm the JS engine): shortest digits read back
// exactly, and NumberText covers what FormatExponential does not (zero, sign, nan, inf).
#include "base/decimal_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace hb {
namespace {

TEST(DecimalText, ShortestDigitsReadBackExactly) {
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 2000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    double v;
    const uint64_t bits = (state >> 2) | 0x0010000000000000ull;  // positive, normal
    std::memcpy(&v, &bits, sizeof(v));
    if (!std::isfinite(v)) continue;
    const std::string s = FormatExponential(v, -1);
    EXPECT_EQ(ParseDecimal(s.c_str()), v) << s;
    EXPECT_EQ(ParseDecimal(NumberText(-v).c_str()), -v) << NumberText(-v);
  }
  EXPECT_EQ(FormatExponential(0.5, -1).substr(0, 2), "5e");
  EXPECT_EQ(FormatExponential(0.1f, -1).substr(0, 12), "1.0000000149");
}

TEST(DecimalText, NumberTextOfSpecialValues) {
  EXPECT_EQ(NumberText(0.0), "0");
  EXPECT_EQ(NumberText(-0.0), "0");
  EXPECT_EQ(NumberText(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(NumberText(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(NumberText(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(NumberText(-2.5).substr(0, 4), "-2.5");
  EXPECT_EQ(ParseDecimal(NumberText(std::numeric_limits<double>::max()).c_str()),
            std::numeric_limits<double>::max());
  EXPECT_EQ(ParseDecimal(NumberText(std::numeric_limits<double>::denorm_min()).c_str()),
            std::numeric_limits<double>::denorm_min());
}

}  // namespace
}  // namespace hb
