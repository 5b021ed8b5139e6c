// SafetensorsReader: valid files, dtype conversion, and every kind of malformed header or data
// section we can think of (STYLE 8.7). Each error case checks the code and the message.
#include "format/safetensors_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "safetensors_builder.h"
#include "status_matchers.h"

namespace hb {
namespace {

using testing::Bytes;
using testing::IsError;
using testing::RawSafetensors;
using testing::SafetensorsBuilder;

StatusOr<SafetensorsReader> ParseString(const std::string& file) {
  return SafetensorsReader::Parse(Bytes(file), file.size());
}

// A file whose header is a single tensor entry `entry` (JSON) over `data`.
StatusOr<SafetensorsReader> ParseEntry(const std::string& entry, const std::string& data) {
  return ParseString(RawSafetensors("{\"t\":" + entry + "}", data));
}

std::string SmallFile() {
  return SafetensorsBuilder()
      .Metadata("format", "pt")
      .AddF32("a.weight", {2, 3}, {1, 2, 3, 4, 5, 6})
      .AddF32("a.bias", {3}, {-1, 0.5f, 7})
      .Build();
}

TEST(SafetensorsReaderTest, ParsesValidFile) {
  const std::string file = SmallFile();
  auto reader = ParseString(file);
  HB_ASSERT_OK(reader);
  EXPECT_EQ(reader->tensors().size(), 2u);
  EXPECT_EQ(reader->metadata().at("format"), "pt");
  const TensorView* w = reader->Find("a.weight");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dtype, DType::kF32);
  EXPECT_EQ(w->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(w->nbytes, 24u);
  EXPECT_EQ(w->num_elements(), 6);
  auto values = TensorToF32(*w);
  HB_ASSERT_OK(values);
  EXPECT_EQ(*values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  auto bias = TensorToF32(*reader->Find("a.bias"));
  HB_ASSERT_OK(bias);
  EXPECT_EQ(*bias, (std::vector<float>{-1, 0.5f, 7}));
  EXPECT_EQ(reader->Find("a"), nullptr);
  EXPECT_EQ(reader->Find("missing"), nullptr);
}

TEST(SafetensorsReaderTest, AcceptsScalarsEmptyTensorsAndEmptyHeader) {
  const std::string file = SafetensorsBuilder()
                               .AddF32("scalar", {}, {42})
                               .AddF32("empty", {0, 5}, {})
                               .AddF32("after", {1}, {3})
                               .Build();
  auto reader = ParseString(file);
  HB_ASSERT_OK(reader);
  EXPECT_EQ(reader->Find("scalar")->num_elements(), 1);
  EXPECT_EQ(reader->Find("empty")->nbytes, 0u);
  EXPECT_EQ(TensorToF32(*reader->Find("scalar")).value(), std::vector<float>{42});
  EXPECT_TRUE(TensorToF32(*reader->Find("empty")).value().empty());

  auto empty = ParseString(RawSafetensors("{}"));
  HB_ASSERT_OK(empty);
  EXPECT_TRUE(empty->tensors().empty());
}

TEST(SafetensorsReaderTest, AcceptsEveryDType) {
  const char* names[] = {"F32", "F16", "BF16", "F64", "I8", "U8", "I16", "I32", "I64", "BOOL"};
  const DType dtypes[] = {DType::kF32, DType::kF16, DType::kBF16, DType::kF64, DType::kI8,
                          DType::kU8,  DType::kI16, DType::kI32,  DType::kI64, DType::kBool};
  const size_t sizes[] = {4, 2, 2, 8, 1, 1, 2, 4, 8, 1};
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE(names[i]);
    EXPECT_STREQ(DTypeName(dtypes[i]), names[i]);
    EXPECT_EQ(DTypeSize(dtypes[i]), sizes[i]);
    const std::string file =
        SafetensorsBuilder().AddRaw("x", names[i], {3}, std::string(3 * sizes[i], '\1')).Build();
    auto reader = ParseString(file);
    HB_ASSERT_OK(reader);
    EXPECT_EQ(reader->Find("x")->dtype, dtypes[i]);
  }
}

TEST(SafetensorsReaderTest, AllowsTrailingBytesAndGaps) {
  // [0, 4) and [8, 12) with unindexed bytes between and after: never read, so allowed.
  const std::string header = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                             R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  HB_ASSERT_OK(ParseString(RawSafetensors(header, std::string(20, '\0'))));
}

// Every proper prefix of a valid file must be rejected as kInvalidModel, never crash or read
// out of bounds (ASan checks the latter).
TEST(SafetensorsReaderTest, RejectsEveryTruncation) {
  const std::string file = SmallFile();
  uint64_t header_length = 0;
  std::memcpy(&header_length, file.data(), 8);
  for (size_t n = 0; n < file.size(); ++n) {
    SCOPED_TRACE("prefix of " + std::to_string(n) + " bytes");
    // A fresh allocation of exactly n bytes, so ASan sees any read past the end.
    std::vector<uint8_t> prefix(file.begin(), file.begin() + n);
    auto reader = SafetensorsReader::Parse(n ? prefix.data() : nullptr, n);
    std::string fragment = "but the data section has only";
    if (n < 8) {
      fragment = "too small to be safetensors";
    } else if (n < 8 + header_length) {
      fragment = "but only " + std::to_string(n - 8) + " bytes follow";
    }
    EXPECT_TRUE(IsError(reader, StatusCode::kInvalidModel, fragment));
  }
  HB_ASSERT_OK(ParseString(file));
}

TEST(SafetensorsReaderTest, RejectsHeaderLengthPastEndOfFile) {
  EXPECT_TRUE(IsError(ParseString(RawSafetensors(1000, "{}")), StatusCode::kInvalidModel,
                      "header length is 1000 bytes but only 2 bytes follow"));
  // 2^64 - 1 must not wrap when 8 is added.
  EXPECT_TRUE(IsError(ParseString(RawSafetensors(~uint64_t{0}, "{}")), StatusCode::kInvalidModel,
                      "header length is 18446744073709551615 bytes"));
}

TEST(SafetensorsReaderTest, RejectsHeaderOverLimit) {
  // A 101 MB header of spaces: within the file, but over the 100 MB limit.
  const size_t n = 101'000'000;
  std::vector<uint8_t> file(8 + n, ' ');
  for (int i = 0; i < 8; ++i) file[i] = static_cast<uint8_t>((uint64_t{n} >> (8 * i)) & 0xFF);
  EXPECT_TRUE(IsError(SafetensorsReader::Parse(file.data(), file.size()),
                      StatusCode::kResourceExhausted, "at most 100000000"));
}

TEST(SafetensorsReaderTest, RejectsHeaderThatIsNotJson) {
  EXPECT_TRUE(IsError(ParseString(RawSafetensors("this is not json")), StatusCode::kInvalidModel,
                      "safetensors header is not valid JSON"));
  EXPECT_TRUE(IsError(ParseString(RawSafetensors("")), StatusCode::kInvalidModel,
                      "safetensors header is not valid JSON"));
  EXPECT_TRUE(IsError(ParseString(RawSafetensors("{\"a\":")), StatusCode::kInvalidModel,
                      "safetensors header is not valid JSON"));
  // Invalid UTF-8 inside a string.
  EXPECT_TRUE(IsError(ParseString(RawSafetensors("{\"\xff\":1}")), StatusCode::kInvalidModel,
                      "safetensors header is not valid JSON"));
  // Binary zeros (e.g. a PyTorch .bin renamed).
  EXPECT_TRUE(IsError(ParseString(RawSafetensors(std::string(16, '\0'))), StatusCode::kInvalidModel,
                      "safetensors header is not valid JSON"));
}

TEST(SafetensorsReaderTest, RejectsHeaderThatIsNotAnObject) {
  EXPECT_TRUE(IsError(ParseString(RawSafetensors("[1,2]")), StatusCode::kInvalidModel,
                      "not a JSON object (it is an array)"));
  EXPECT_TRUE(IsError(ParseString(RawSafetensors("42")), StatusCode::kInvalidModel,
                      "not a JSON object (it is an integer)"));
  EXPECT_TRUE(IsError(ParseString(RawSafetensors("\"x\"")), StatusCode::kInvalidModel,
                      "not a JSON object (it is a string)"));
  EXPECT_TRUE(IsError(ParseString(RawSafetensors("null")), StatusCode::kInvalidModel,
                      "not a JSON object (it is null)"));
}

TEST(SafetensorsReaderTest, RejectsDeepNestingWithoutRecursing) {
  const std::string deep = "{\"t\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  EXPECT_TRUE(
      IsError(ParseString(RawSafetensors(deep)), StatusCode::kInvalidModel, "nested deeper than"));
}

TEST(SafetensorsReaderTest, RejectsMalformedEntries) {
  const std::string data(24, '\0');
  EXPECT_TRUE(IsError(ParseEntry("[]", data), StatusCode::kInvalidModel,
                      "tensor 't': expected an object with dtype, shape and data_offsets, got an "
                      "array"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"shape":[6],"data_offsets":[0,24]})", data),
                      StatusCode::kInvalidModel, "tensor 't' has no 'dtype'"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":32,"shape":[6],"data_offsets":[0,24]})", data),
                      StatusCode::kInvalidModel, "'dtype' must be a string, got 32"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","data_offsets":[0,24]})", data),
                      StatusCode::kInvalidModel, "tensor 't' has no 'shape'"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":6,"data_offsets":[0,24]})", data),
                      StatusCode::kInvalidModel, "'shape' must be an array, got 6"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[6]})", data), StatusCode::kInvalidModel,
                      "tensor 't' has no 'data_offsets'"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[6],"data_offsets":[0]})", data),
                      StatusCode::kInvalidModel, "'data_offsets' must be an array [begin, end]"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[6],"data_offsets":[0,24,48]})", data),
                      StatusCode::kInvalidModel, "'data_offsets' must be an array [begin, end]"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[6],"data_offsets":"0-24"})", data),
                      StatusCode::kInvalidModel, "'data_offsets' must be an array"));
}

TEST(SafetensorsReaderTest, RejectsUnknownDTypesNamingThem) {
  for (const char* dtype : {"F8_E4M3", "FLOAT32", "f32", "", "Q4_0"}) {
    SCOPED_TRACE(dtype);
    auto reader =
        ParseEntry(std::string(R"({"dtype":")") + dtype + R"(","shape":[6],"data_offsets":[0,24]})",
                   std::string(24, '\0'));
    EXPECT_TRUE(
        IsError(reader, StatusCode::kUnsupported,
                std::string("tensor 't' has dtype '") + dtype + "', which is not supported"));
    EXPECT_TRUE(IsError(reader, StatusCode::kUnsupported,
                        "supported dtypes: F32, F16, BF16, F64, I8, U8, I16, I32, I64, BOOL"));
  }
}

TEST(SafetensorsReaderTest, RejectsBadDimensions) {
  const std::string data(24, '\0');
  auto entry = [&](const std::string& shape) {
    return ParseEntry(R"({"dtype":"F32","shape":)" + shape + R"(,"data_offsets":[0,24]})", data);
  };
  EXPECT_TRUE(IsError(entry("[-6]"), StatusCode::kInvalidModel,
                      "dimensions must be non-negative integers, got -6"));
  EXPECT_TRUE(IsError(entry("[2, -3]"), StatusCode::kInvalidModel, "got -3"));
  EXPECT_TRUE(IsError(entry("[6.0]"), StatusCode::kInvalidModel, "got 6.0"));
  EXPECT_TRUE(IsError(entry("[\"6\"]"), StatusCode::kInvalidModel, "got \"6\""));
  EXPECT_TRUE(IsError(entry("[true]"), StatusCode::kInvalidModel, "got true"));
  EXPECT_TRUE(IsError(entry("[null]"), StatusCode::kInvalidModel, "got null"));
  // Above int64: stored by nlohmann as unsigned or as a float.
  EXPECT_TRUE(IsError(entry("[18446744073709551615]"), StatusCode::kInvalidModel,
                      "got 18446744073709551615"));
  EXPECT_TRUE(IsError(entry("[1e30]"), StatusCode::kInvalidModel, "non-negative integers"));
  EXPECT_TRUE(IsError(entry("[1,1,1,1,1,1,1,1,6]"), StatusCode::kInvalidModel,
                      "tensor 't' has rank 9; at most 8 dimensions are supported"));
  // Products that overflow 64 bits (elements, or elements * 4 bytes) must not wrap into a
  // small, consistent-looking size.
  EXPECT_TRUE(IsError(entry("[4294967296, 4294967296, 16]"), StatusCode::kInvalidModel,
                      "shape [4294967296, 4294967296, 16], whose size in bytes overflows"));
  EXPECT_TRUE(
      IsError(entry("[4611686018427387904, 4]"), StatusCode::kInvalidModel, "overflows 64 bits"));
  EXPECT_TRUE(
      IsError(entry("[9223372036854775807]"), StatusCode::kInvalidModel, "overflows 64 bits"));
  // 2^62 * 4 bytes = 2^64 wraps to 0 in unchecked arithmetic; with offsets [0, 0] it would
  // look like an empty tensor.
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[4611686018427387904],)"
                                 R"("data_offsets":[0,0]})",
                                 ""),
                      StatusCode::kInvalidModel, "overflows 64 bits"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[65536,65536,65536,65536],)"
                                 R"("data_offsets":[0,0]})",
                                 ""),
                      StatusCode::kInvalidModel, "overflows 64 bits"));
}

TEST(SafetensorsReaderTest, RejectsBadOffsets) {
  const std::string data(24, '\0');
  auto entry = [&](const std::string& offsets, const std::string& shape = "[6]") {
    return ParseEntry(R"({"dtype":"F32","shape":)" + shape + R"(,"data_offsets":)" + offsets + "}",
                      data);
  };
  EXPECT_TRUE(IsError(entry("[0, 28]", "[7]"), StatusCode::kInvalidModel,
                      "tensor 't' claims bytes [0, 28) but the data section has only 24 bytes"));
  EXPECT_TRUE(IsError(entry("[1000000, 1000024]"), StatusCode::kInvalidModel,
                      "claims bytes [1000000, 1000024) but the data section has only 24 bytes"));
  EXPECT_TRUE(IsError(entry("[24, 0]"), StatusCode::kInvalidModel,
                      "data_offsets [24, 0] with begin after end"));
  EXPECT_TRUE(IsError(entry("[-4, 20]"), StatusCode::kInvalidModel,
                      "'data_offsets' must hold non-negative integers, got -4"));
  EXPECT_TRUE(IsError(entry("[0, 1.5]"), StatusCode::kInvalidModel, "got 1.5"));
  EXPECT_TRUE(IsError(entry("[0, 18446744073709551615]"), StatusCode::kInvalidModel,
                      "non-negative integers"));
  EXPECT_TRUE(IsError(entry("[9223372036854775800, 9223372036854775807]"),
                      StatusCode::kInvalidModel, "but the data section has only 24 bytes"));
}

TEST(SafetensorsReaderTest, RejectsSizesInconsistentWithShape) {
  const std::string data(24, '\0');
  // Lying shapes: [2, 3] of F32 is 24 bytes; the offsets say otherwise.
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[2,3],"data_offsets":[0,20]})", data),
                      StatusCode::kInvalidModel,
                      "tensor 't' has shape [2, 3] of F32 (24 bytes) but its data_offsets [0, 20) "
                      "span 20 bytes"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[4,4],"data_offsets":[0,24]})", data),
                      StatusCode::kInvalidModel, "shape [4, 4] of F32 (64 bytes)"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F16","shape":[6],"data_offsets":[0,24]})", data),
                      StatusCode::kInvalidModel, "shape [6] of F16 (12 bytes)"));
  EXPECT_TRUE(IsError(ParseEntry(R"({"dtype":"F32","shape":[],"data_offsets":[0,0]})", data),
                      StatusCode::kInvalidModel, "shape [] of F32 (4 bytes)"));
}

TEST(SafetensorsReaderTest, RejectsOverlappingTensors) {
  const std::string header = R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                             R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})";
  EXPECT_TRUE(IsError(ParseString(RawSafetensors(header, std::string(16, '\0'))),
                      StatusCode::kInvalidModel, "tensors 'a' [0, 16) and 'b' [8, 16) overlap"));
  const std::string same = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                           R"("b":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}})";
  EXPECT_TRUE(IsError(ParseString(RawSafetensors(same, std::string(8, '\0'))),
                      StatusCode::kInvalidModel, "overlap"));
  // Empty tensors may sit anywhere, even inside another tensor's bytes.
  const std::string empty = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                            R"("b":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}})";
  HB_ASSERT_OK(ParseString(RawSafetensors(empty, std::string(8, '\0'))));
}

TEST(SafetensorsReaderTest, RejectsBadMetadata) {
  EXPECT_TRUE(IsError(ParseString(RawSafetensors(R"({"__metadata__":[1]})")),
                      StatusCode::kInvalidModel, "'__metadata__' must be an object, got an array"));
  EXPECT_TRUE(IsError(ParseString(RawSafetensors(R"({"__metadata__":{"format":1}})")),
                      StatusCode::kInvalidModel,
                      "'__metadata__' must map strings to strings; 'format' is an integer"));
}

TEST(SafetensorsReaderTest, RejectsTooManyTensors) {
  std::string header = "{";
  for (int i = 0; i <= 100000; ++i) {
    if (i) header += ',';
    header += "\"" + std::to_string(i) + R"(":{"dtype":"U8","shape":[0],"data_offsets":[0,0]})";
  }
  header += "}";
  EXPECT_TRUE(IsError(ParseString(RawSafetensors(header)), StatusCode::kResourceExhausted,
                      "lists 100001 tensors; at most 100000"));
}

TEST(SafetensorsReaderTest, RejectsNullDataWithSize) {
  EXPECT_TRUE(
      IsError(SafetensorsReader::Parse(nullptr, 16), StatusCode::kInvalidArgument, "null data"));
}

// ------------------------------------------------------------------ TensorToF32

// Reference: the value of a binary16 pattern computed arithmetically, independent of the bit
// manipulation under test.
double HalfValue(uint16_t h) {
  const int sign = h >> 15, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  double v;
  if (exponent == 0) {
    v = std::ldexp(mantissa, -24);
  } else if (exponent == 31) {
    v = mantissa ? std::numeric_limits<double>::quiet_NaN()
                 : std::numeric_limits<double>::infinity();
  } else {
    v = std::ldexp(1024 + mantissa, exponent - 25);
  }
  return sign ? -v : v;
}

TEST(TensorToF32Test, ConvertsEveryHalfExactly) {
  std::vector<uint16_t> all(65536);
  for (uint32_t i = 0; i < 65536; ++i) all[i] = static_cast<uint16_t>(i);
  const std::string file = SafetensorsBuilder().Add16("h", "F16", {65536}, all).Build();
  auto reader = ParseString(file);
  HB_ASSERT_OK(reader);
  auto values = TensorToF32(*reader->Find("h"));
  HB_ASSERT_OK(values);
  for (uint32_t i = 0; i < 65536; ++i) {
    const double expected = HalfValue(static_cast<uint16_t>(i));
    const float got = (*values)[i];
    if (std::isnan(expected)) {
      ASSERT_TRUE(std::isnan(got)) << i;
      uint32_t bits;
      std::memcpy(&bits, &got, 4);
      ASSERT_EQ((bits >> 13) & 0x3FF, i & 0x3FF) << "NaN payload of " << i;
      ASSERT_EQ(bits >> 31, i >> 15) << "NaN sign of " << i;
    } else {
      ASSERT_EQ(static_cast<double>(got), expected) << "half bits " << i;
      ASSERT_EQ(std::signbit(got), (i >> 15) != 0) << i;  // -0 stays -0
    }
  }
  // Spot checks of well-known patterns.
  EXPECT_EQ((*values)[0x3C00], 1.0f);
  EXPECT_EQ((*values)[0xC000], -2.0f);
  EXPECT_EQ((*values)[0x7BFF], 65504.0f);
  EXPECT_EQ((*values)[0x0001], std::ldexp(1.0f, -24));     // smallest subnormal
  EXPECT_EQ((*values)[0x03FF], std::ldexp(1023.0f, -24));  // largest subnormal
  EXPECT_EQ((*values)[0x0400], std::ldexp(1.0f, -14));     // smallest normal
  EXPECT_EQ((*values)[0x7C00], std::numeric_limits<float>::infinity());
  EXPECT_EQ((*values)[0xFC00], -std::numeric_limits<float>::infinity());
}

TEST(TensorToF32Test, ConvertsBf16) {
  // bf16 is the top half of a float: 1.0 = 0x3F80, -2.5 = 0xC020, inf, a subnormal, NaN.
  const std::string file = SafetensorsBuilder()
                               .Add16("b", "BF16", {5}, {0x3F80, 0xC020, 0x7F80, 0x0001, 0x7FC1})
                               .Build();
  auto reader = ParseString(file);
  HB_ASSERT_OK(reader);
  auto values = TensorToF32(*reader->Find("b"));
  HB_ASSERT_OK(values);
  EXPECT_EQ((*values)[0], 1.0f);
  EXPECT_EQ((*values)[1], -2.5f);
  EXPECT_EQ((*values)[2], std::numeric_limits<float>::infinity());
  uint32_t bits;
  std::memcpy(&bits, &(*values)[3], 4);
  EXPECT_EQ(bits, 0x00010000u);
  std::memcpy(&bits, &(*values)[4], 4);
  EXPECT_EQ(bits, 0x7FC10000u);
}

TEST(TensorToF32Test, ReadsUnalignedData) {
  // A 1-byte tensor first puts the F32 and F16 data at odd addresses; UBSan flags any
  // misaligned load.
  const std::string file = SafetensorsBuilder()
                               .AddRaw("pad", "U8", {1}, "\x7f")
                               .AddF32("f", {3}, {1.5f, -0.25f, 3e38f})
                               .Add16("h", "F16", {2}, {0x3555, 0x8001})
                               .Build();
  auto reader = ParseString(file);
  HB_ASSERT_OK(reader);
  ASSERT_NE(reinterpret_cast<uintptr_t>(reader->Find("f")->data) % 4, 0u);
  EXPECT_EQ(TensorToF32(*reader->Find("f")).value(), (std::vector<float>{1.5f, -0.25f, 3e38f}));
  auto h = TensorToF32(*reader->Find("h"));
  HB_ASSERT_OK(h);
  EXPECT_EQ((*h)[0], static_cast<float>(HalfValue(0x3555)));
  EXPECT_EQ((*h)[1], -std::ldexp(1.0f, -24));
}

TEST(TensorToF32Test, RejectsNonFloatDTypes) {
  const std::string file = SafetensorsBuilder()
                               .AddI32("i", {2}, {1, 2})
                               .AddRaw("d", "F64", {1}, std::string(8, '\0'))
                               .Build();
  auto reader = ParseString(file);
  HB_ASSERT_OK(reader);
  EXPECT_TRUE(IsError(TensorToF32(*reader->Find("i")), StatusCode::kUnsupported,
                      "tensor 'i' has dtype I32; only F32, F16 and BF16"));
  EXPECT_TRUE(IsError(TensorToF32(*reader->Find("d")), StatusCode::kUnsupported, "has dtype F64"));
}

TEST(TensorToF32Test, RejectsInconsistentHandMadeViews) {
  float storage[4] = {};
  TensorView view;
  view.name = "v";
  view.shape = {2, 2};
  view.data = reinterpret_cast<const uint8_t*>(storage);
  view.nbytes = 12;  // should be 16
  EXPECT_TRUE(IsError(TensorToF32(view), StatusCode::kInvalidArgument,
                      "shape [2, 2] does not match its 12 bytes"));
  view.shape = {-1, 4};
  view.nbytes = 16;
  EXPECT_EQ(view.num_elements(), -1);
  EXPECT_TRUE(IsError(TensorToF32(view), StatusCode::kInvalidArgument, "does not match"));
  view.shape = {4};
  view.data = nullptr;
  EXPECT_TRUE(IsError(TensorToF32(view), StatusCode::kInvalidArgument, "does not match"));
}

}  // namespace
}  // namespace hb
