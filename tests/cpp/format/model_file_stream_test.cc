// The incremental model file reader (format/model_file_stream.h): any chunking gives the
// contents of a whole-file read on every committed .hbm fixture and on writer-made files with
// padding tensors; truncation anywhere, trailing bytes and bad tensors fail with kInvalidModel and
// the whole-file messages, never a crash; errors stick and Finish runs once.
#include "format/model_file_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "checkpoint_fixture.h"
#include "format/bert_config.h"
#include "format/hf_checkpoint.h"
#include "format/model_file.h"
#include "format/safetensors_reader.h"
#include "safetensors_builder.h"
#include "status_matchers.h"

namespace hb {
namespace {

using testing::Bytes;
using testing::IsError;
using testing::Slurp;

const std::string kCorpus = std::string(HB_FIXTURES_DIR) + "/../fuzz/corpus/fuzz_model_file/";
constexpr const char* kCommittedFiles[] = {"tiny_fp32.hbm", "tiny_fp16.hbm", "tiny_int8.hbm"};

// An fp32 or fp16 model file of an HF fixture (bert_encoder_odd needs `_pad.N` tensors).
std::string WriterFile(const std::string& fixture, ModelDtype dtype) {
  const testing::Checkpoint c = testing::LoadCheckpoint(fixture);
  WriteOptions o;
  o.dtype = dtype;
  StatusOr<std::string> file = WriteModelFile(c.weights, TokenizerSettings{}, c.vocab, o);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  return file.ok() ? *file : std::string();
}

StatusOr<ModelFileContents> Stream(const std::string& file, size_t chunk) {
  ModelFileStreamReader r;
  for (size_t i = 0; i < file.size(); i += chunk) {
    // Each chunk is its own allocation, so ASan sees a read past it.
    const std::vector<uint8_t> piece(
        file.begin() + static_cast<long>(i),
        file.begin() + static_cast<long>(std::min(file.size(), i + chunk)));
    HB_RETURN_IF_ERROR(r.Append(piece.data(), piece.size()));
  }
  EXPECT_EQ(r.bytes_received(), file.size());
  return r.Finish();
}

// The contents serialized again: equal bytes mean equal weights, settings, vocabulary and
// metadata (the writer is deterministic).
std::string Rewrite(const ModelFileContents& c) {
  WriteOptions o;
  StatusOr<ModelDtype> dtype = ParseModelDtype(c.dtype);
  EXPECT_TRUE(dtype.ok());
  o.dtype = dtype.ok() ? *dtype : ModelDtype::kFp32;
  StatusOr<std::string> bytes = WriteModelFile(c.weights, c.settings, c.vocab_txt, o);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

std::vector<std::string> AllFiles() {
  std::vector<std::string> files;
  for (const char* name : kCommittedFiles) files.push_back(Slurp(kCorpus + name));
  files.push_back(WriterFile("bert_encoder_odd", ModelDtype::kFp32));
  files.push_back(WriterFile("bert_encoder_odd", ModelDtype::kFp16));
  files.push_back(WriterFile("distilbert_seqcls", ModelDtype::kFp16));
  return files;
}

TEST(ModelFileStreamTest, AnyChunkingGivesTheWholeFileContents) {
  for (const std::string& file : AllFiles()) {
    ASSERT_GT(file.size(), 1000u);
    StatusOr<ModelFileContents> whole = ReadModelFile(Bytes(file), file.size());
    HB_ASSERT_OK(whole);
    const std::string expected = Rewrite(*whole);
    for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}, file.size()}) {
      SCOPED_TRACE(chunk);
      StatusOr<ModelFileContents> streamed = Stream(file, chunk);
      HB_ASSERT_OK(streamed);
      EXPECT_EQ(streamed->format_version, whole->format_version);
      EXPECT_EQ(streamed->dtype, whole->dtype);
      EXPECT_EQ(streamed->vocab_txt, whole->vocab_txt);
      EXPECT_EQ(streamed->weights.layers[0].qkv.w, whole->weights.layers[0].qkv.w);
      EXPECT_EQ(streamed->weights.layers[0].qkv.w_q, whole->weights.layers[0].qkv.w_q);
      EXPECT_TRUE(Rewrite(*streamed) == expected);
    }
  }
}

TEST(ModelFileStreamTest, WriterFilesRoundTripByteForByte) {
  // Without a producer of another version in the way, reading and writing again is identity.
  for (ModelDtype dtype : {ModelDtype::kFp32, ModelDtype::kFp16}) {
    const std::string file = WriterFile("bert_encoder_odd", dtype);
    StatusOr<ModelFileContents> r = Stream(file, 4096);
    HB_ASSERT_OK(r);
    EXPECT_TRUE(Rewrite(*r) == file);
  }
}

TEST(ModelFileStreamTest, TruncationAnywhereIsInvalidModel) {
  const std::string file = Slurp(kCorpus + "tiny_int8.hbm");
  uint64_t header = 0;
  for (int i = 7; i >= 0; --i) header = (header << 8) | static_cast<uint8_t>(file[i]);
  const size_t data_start = static_cast<size_t>(8 + header);
  std::vector<size_t> cuts;
  for (size_t cut = 0; cut <= data_start; ++cut) cuts.push_back(cut);  // every header byte
  for (size_t i = 1; i < 32; ++i) cuts.push_back(data_start + (file.size() - data_start) * i / 32);
  cuts.push_back(file.size() - 1);
  for (size_t cut : cuts) {
    SCOPED_TRACE(cut);
    const std::string part = file.substr(0, cut);
    for (size_t chunk : {size_t{7}, std::max<size_t>(cut, 1)}) {
      StatusOr<ModelFileContents> r = Stream(part, chunk);
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidModel) << r.status().ToString();
    }
  }
  // The messages of a whole-file safetensors read, with the byte counts.
  EXPECT_TRUE(IsError(Stream(file.substr(0, 5), 2), StatusCode::kInvalidModel,
                      "model file: file is too small to be safetensors: 5 bytes"));
  EXPECT_TRUE(IsError(Stream(file.substr(0, 20), 3), StatusCode::kInvalidModel,
                      "model file: safetensors header length is " + std::to_string(header) +
                          " bytes but only 12 bytes follow it (truncated file"));
  const std::string half = file.substr(0, data_start + (file.size() - data_start) / 2);
  StatusOr<SafetensorsReader> parsed = SafetensorsReader::Parse(Bytes(half), half.size());
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(IsError(Stream(half, 1000), StatusCode::kInvalidModel,
                      "model file: " + parsed.status().message()));
  EXPECT_NE(parsed.status().message().find("(truncated file?)"), std::string::npos);
}

TEST(ModelFileStreamTest, TrailingBytesAreAnError) {
  const std::string file = Slurp(kCorpus + "tiny_fp32.hbm");
  for (size_t chunk : {size_t{1}, size_t{4096}, file.size() + 3}) {
    SCOPED_TRACE(chunk);
    EXPECT_TRUE(IsError(
        Stream(file + "abc", chunk), StatusCode::kInvalidModel,
        "goes on after its last tensor, which ends at byte " + std::to_string(file.size())));
  }
  EXPECT_TRUE(IsError(ReadModelFile(Bytes(file + "x"), file.size() + 1), StatusCode::kInvalidModel,
                      "goes on after its last tensor"));
}

TEST(ModelFileStreamTest, BadScaleFailsWhenItsTensorArrives) {
  std::string file = Slurp(kCorpus + "tiny_int8.hbm");
  StatusOr<SafetensorsReader> r = SafetensorsReader::Parse(Bytes(file), file.size());
  HB_ASSERT_OK(r);
  const TensorView* scale = r->Find("layers.0.qkv.scale");
  ASSERT_NE(scale, nullptr);
  const size_t at = static_cast<size_t>(scale->data - Bytes(file)) + 4;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(&file[at], &nan, 4);
  ModelFileStreamReader s;
  // Everything up to the scale's end is fine; the Append that completes it fails.
  const size_t end = static_cast<size_t>(scale->data - Bytes(file)) + scale->nbytes;
  {
    const Status st = s.Append(Bytes(file), end - 1);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  const Status bad = s.Append(Bytes(file) + end - 1, 1);
  EXPECT_TRUE(
      IsError(bad, StatusCode::kInvalidModel, "model file: tensor 'layers.0.qkv.scale'[1] is "));
  EXPECT_NE(bad.message().find("; scales must be finite and >= 0"), std::string::npos);
  // Sticky: the same error again, whatever comes next.
  EXPECT_EQ(s.Append(Bytes(file) + end, 10).message(), bad.message());
  EXPECT_EQ(s.Finish().status().message(), bad.message());
}

TEST(ModelFileStreamTest, HeaderErrorsComeWithTheHeader) {
  // A plain HF safetensors file is rejected as soon as its header is in, before its data.
  const std::string hf =
      Slurp(std::string(HB_FIXTURES_DIR) + "/models/bert_seqcls/model.safetensors");
  uint64_t header = 0;
  for (int i = 7; i >= 0; --i) header = (header << 8) | static_cast<uint8_t>(hf[i]);
  ModelFileStreamReader s;
  {
    const Status st = s.Append(Bytes(hf), static_cast<size_t>(header + 7));
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  EXPECT_TRUE(IsError(s.Append(Bytes(hf) + header + 7, 1), StatusCode::kInvalidModel,
                      "model file: not a hummingbert model file"));
}

TEST(ModelFileStreamTest, FinishOnceAndNullData) {
  const std::string file = Slurp(kCorpus + "tiny_fp16.hbm");
  ModelFileStreamReader s;
  {
    const Status st = s.Append(Bytes(file), file.size());
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  {
    const Status st = s.Append(nullptr, 0);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  HB_ASSERT_OK(s.Finish());
  EXPECT_TRUE(IsError(s.Finish(), StatusCode::kInvalidArgument, "Finish called twice"));
  EXPECT_TRUE(IsError(s.Append(Bytes(file), 1), StatusCode::kInvalidArgument, "after Finish"));
  ModelFileStreamReader n;
  EXPECT_TRUE(IsError(n.Append(nullptr, 3), StatusCode::kInvalidArgument, "null data"));
  EXPECT_TRUE(IsError(n.Finish(), StatusCode::kInvalidArgument, "null data"));
}

TEST(ModelFileStreamTest, HugeHeaderLengthIsRejectedWithoutAllocating) {
  std::string file(16, '\0');
  for (int i = 0; i < 8; ++i) file[i] = static_cast<char>(0xFF);  // 2^64 - 1
  EXPECT_FALSE(Stream(file, 16).ok());
  file[7] = 0;  // 2^56 - 1: over the header limit
  EXPECT_TRUE(IsError(Stream(file, 3), StatusCode::kInvalidModel, "safetensors header is"));
}

}  // namespace
}  // namespace hb
