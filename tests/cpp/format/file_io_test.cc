// base/file_io (ReadFile, FileExists, JoinPath), tested here because the format module is its
// first user; also reads the committed malformed fixtures through it.
#include "base/file_io.h"

#include <gtest/gtest.h>

#include <string>

#include "status_matchers.h"

namespace hb {
namespace {

using testing::IsError;

const std::string kFixtures = HB_FIXTURES_DIR;

TEST(FileIoTest, ReadsWholeFileIncludingZeros) {
  auto bytes = ReadFile(JoinPath(kFixtures, "malformed/truncated.safetensors"));
  HB_ASSERT_OK(bytes);
  ASSERT_GT(bytes->size(), 8u);
  EXPECT_EQ((*bytes)[7], '\0');  // high bytes of the header length: no stop at NUL
}

TEST(FileIoTest, ReportsMissingFilesAndDirectories) {
  EXPECT_TRUE(IsError(ReadFile(JoinPath(kFixtures, "no/such/file.json")), StatusCode::kNotFound,
                      "file not found: '"));
  EXPECT_TRUE(IsError(ReadFile(""), StatusCode::kNotFound, "file not found"));
  EXPECT_TRUE(IsError(ReadFile(kFixtures), StatusCode::kIoError, "'" + kFixtures + "'"));
  EXPECT_FALSE(FileExists(kFixtures));  // a directory is not a file
  EXPECT_FALSE(FileExists(JoinPath(kFixtures, "nope")));
  EXPECT_TRUE(FileExists(JoinPath(kFixtures, "malformed/README.md")));
}

TEST(FileIoTest, JoinsPaths) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
  EXPECT_EQ(JoinPath("a", ""), "a");
  EXPECT_EQ(JoinPath("a", "/abs/b"), "/abs/b");
  EXPECT_EQ(JoinPath("/", "b"), "/b");
}

}  // namespace
}  // namespace hb
