// Shared helpers of the tokenizer tests: file reading and fixture paths.
#ifndef HB_TESTS_CPP_TOKENIZER_TOKENIZER_TEST_UTIL_H_
#define HB_TESTS_CPP_TOKENIZER_TOKENIZER_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>

namespace hb {
namespace testing {

// Whole file as bytes; empty string when it cannot be read.
inline std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string TokenizerFixture(const std::string& name) {
  return std::string(HB_FIXTURES_DIR) + "/tokenizer/" + name;
}

}  // namespace testing
}  // namespace hb

#endif  // HB_TESTS_CPP_TOKENIZER_TOKENIZER_TEST_UTIL_H_
