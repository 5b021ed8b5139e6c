// Test helper: every error test checks the code and a fragment of the message (STYLE 8.4).
#ifndef HB_TESTS_CPP_FORMAT_STATUS_MATCHERS_H_
#define HB_TESTS_CPP_FORMAT_STATUS_MATCHERS_H_

#include <gtest/gtest.h>

#include <string>

#include "base/status.h"

namespace hb::testing {

inline ::testing::AssertionResult IsError(const Status& status, StatusCode code,
                                          const std::string& fragment) {
  if (status.ok()) return ::testing::AssertionFailure() << "expected an error, got OK";
  if (status.code() != code || status.message().find(fragment) == std::string::npos) {
    return ::testing::AssertionFailure() << "expected " << StatusCodeName(code) << " containing \""
                                         << fragment << "\", got " << status.ToString();
  }
  return ::testing::AssertionSuccess();
}

template <typename T>
::testing::AssertionResult IsError(const StatusOr<T>& s, StatusCode code,
                                   const std::string& fragment) {
  return IsError(s.status(), code, fragment);
}

}  // namespace hb::testing

// Prints the status on failure (ASSERT_TRUE(s.ok()) would not).
#define HB_ASSERT_OK(expr)                                \
  do {                                                    \
    const auto& hb_s_ = (expr);                           \
    ASSERT_TRUE(hb_s_.ok()) << hb_s_.status().ToString(); \
  } while (0)

#endif  // HB_TESTS_CPP_FORMAT_STATUS_MATCHERS_H_
