// The committed files in tests/fixtures/malformed/ (made by tools/make_malformed_fixtures.mjs)
// give exactly the errors their README promises; the CLI and JS tests rely on the same table.
#include <gtest/gtest.h>

#include <string>

#include "base/file_io.h"
#include "format/bert_config.h"
#include "format/safetensors_reader.h"
#include "safetensors_builder.h"
#include "status_matchers.h"

namespace hb {
namespace {

using testing::IsError;

std::string ReadFixture(const std::string& name) {
  auto bytes = ReadFile(JoinPath(JoinPath(HB_FIXTURES_DIR, "malformed"), name));
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

struct Case {
  const char* file;
  StatusCode code;
  const char* fragment;
};

TEST(MalformedFixturesTest, SafetensorsFilesFailAsDocumented) {
  const Case cases[] = {
      {"truncated.safetensors", StatusCode::kInvalidModel,
       "tensor 'dense.bias' claims bytes [64, 80) but the data section has only 40 bytes"},
      {"header_length_past_end.safetensors", StatusCode::kInvalidModel,
       "safetensors header length is 1048576 bytes but only 248 bytes follow it"},
      {"empty.safetensors", StatusCode::kInvalidModel,
       "file is too small to be safetensors: 0 bytes"},
      {"bad_offsets.safetensors", StatusCode::kInvalidModel,
       "tensor 'dense.weight' claims bytes [1000000, 1000064) but the data section has only 80 "
       "bytes"},
      {"header_not_json.safetensors", StatusCode::kInvalidModel,
       "safetensors header is not valid JSON"},
      {"lying_shape.safetensors", StatusCode::kInvalidModel,
       "tensor 'dense.weight' has shape [8, 8] of F32 (256 bytes) but its data_offsets [0, 64) "
       "span 64 bytes"},
      {"wrong_dtype.safetensors", StatusCode::kUnsupported,
       "tensor 'dense.weight' has dtype 'F8_E4M3', which is not supported"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string bytes = ReadFixture(c.file);
    EXPECT_TRUE(
        IsError(SafetensorsReader::Parse(testing::Bytes(bytes), bytes.size()), c.code, c.fragment));
  }
}

TEST(MalformedFixturesTest, ConfigFilesFailAsDocumented) {
  const Case cases[] = {
      {"bad_activation.json", StatusCode::kUnsupported,
       "hidden_act 'swish' is not supported; supported: gelu, "},
      {"unsupported_arch.json", StatusCode::kUnsupported,
       "architecture 'BertForMaskedLM' is not supported; supported: BertModel, "},
      {"not_json.json", StatusCode::kInvalidModel, "config.json is not valid JSON: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    EXPECT_TRUE(IsError(ParseBertConfig(ReadFixture(c.file)), c.code, c.fragment));
  }
}

}  // namespace
}  // namespace hb
