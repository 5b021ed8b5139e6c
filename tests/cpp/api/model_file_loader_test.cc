// The streaming loader (hb::ModelFileLoader in hummingbert.h): any chunking gives the model of
// Model::FromModelFile, bit for bit; Model::Load reads a .hbm path in chunks; options are checked
// by Create; errors stick, Finish runs once, and a truncated file fails in Finish.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "hummingbert.h"
#include "hummingbert_convert.h"

namespace hb {
namespace {

const std::string kDemo = std::string(HB_FIXTURES_DIR) + "/../../web-demo/model";
const std::vector<std::string> kTexts = {"I loved it: the acting was superb.", "Dull and long.",
                                         "Meh"};

const std::string& DemoFile() {
  static const std::string* file = [] {
    ConvertOptions o;
    o.dtype = "int8";
    StatusOr<std::string> f = ConvertHuggingFaceDir(kDemo, o);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return new std::string(f.ok() ? *f : std::string());
  }();
  return *file;
}

std::vector<float> Logits(const Model& m) {
  StatusOr<std::vector<Output>> out = m.Run(kTexts);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  std::vector<float> all;
  if (out.ok()) {
    for (const Output& o : *out) all.insert(all.end(), o.logits.begin(), o.logits.end());
  }
  return all;
}

StatusOr<std::unique_ptr<Model>> Stream(const std::string& file, size_t chunk,
                                        const LoadOptions& options = {}) {
  HB_ASSIGN_OR_RETURN(std::unique_ptr<ModelFileLoader> loader, ModelFileLoader::Create(options));
  for (size_t i = 0; i < file.size(); i += chunk) {
    HB_RETURN_IF_ERROR(loader->Append(file.data() + i, std::min(chunk, file.size() - i)));
  }
  EXPECT_EQ(loader->bytes_received(), file.size());
  return loader->Finish();
}

TEST(ModelFileLoaderTest, AnyChunkingGivesTheSameModel) {
  const std::string& file = DemoFile();
  ASSERT_FALSE(file.empty());
  StatusOr<std::unique_ptr<Model>> whole = Model::FromModelFile(file);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  const std::vector<float> expected = Logits(**whole);
  ASSERT_EQ(expected.size(), 6u);
  for (size_t chunk : {size_t{7}, size_t{4096}, size_t{1} << 20}) {
    SCOPED_TRACE(chunk);
    StatusOr<std::unique_ptr<Model>> m = Stream(file, chunk);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(Logits(**m), expected);
    EXPECT_EQ((*m)->info().dtype, "int8");
  }
}

TEST(ModelFileLoaderTest, LoadReadsAPathInChunks) {
  const std::string path = ::testing::TempDir() + "hb_loader_test.hbm";
  ASSERT_TRUE(WriteFileAtomically(path, DemoFile()).ok());
  StatusOr<std::unique_ptr<Model>> m = Model::Load(path);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  StatusOr<std::unique_ptr<Model>> whole = Model::FromModelFile(DemoFile());
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(Logits(**m), Logits(**whole));
  // Not a model file: the sniff on the first chunk says so.
  ASSERT_TRUE(WriteFileAtomically(path, "{\"hello\": 1}").ok());
  StatusOr<std::unique_ptr<Model>> bad = Model::Load(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("is not a hummingbert model file"), std::string::npos);
  // Truncated: the loader's message.
  ASSERT_TRUE(WriteFileAtomically(path, DemoFile().substr(0, DemoFile().size() / 2)).ok());
  bad = Model::Load(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidModel);
  EXPECT_NE(bad.status().message().find("(truncated file?)"), std::string::npos);
  std::remove(path.c_str());
}

TEST(ModelFileLoaderTest, OptionsAreCheckedByCreate) {
  LoadOptions o;
  o.num_threads = 0;
  EXPECT_EQ(ModelFileLoader::Create(o).status().code(), StatusCode::kInvalidArgument);
  o = LoadOptions{};
  o.dtype = "fp8";
  EXPECT_EQ(ModelFileLoader::Create(o).status().code(), StatusCode::kInvalidArgument);
  o = LoadOptions{};
  o.int8_activations = "u8";
  EXPECT_EQ(ModelFileLoader::Create(o).status().code(), StatusCode::kInvalidArgument);
  // fp32 from an int8 file is only known to be impossible once the file is read.
  o = LoadOptions{};
  o.dtype = "fp32";
  EXPECT_EQ(Stream(DemoFile(), 1 << 20, o).status().code(), StatusCode::kInvalidArgument);
  // ... and, as every error, it sticks.
  StatusOr<std::unique_ptr<ModelFileLoader>> loader = ModelFileLoader::Create(o);
  ASSERT_TRUE(loader.ok());
  ASSERT_TRUE((*loader)->Append(DemoFile().data(), DemoFile().size()).ok());
  const Status first = (*loader)->Finish().status();
  EXPECT_NE(first.message().find("cannot be restored from an int8 model file"), std::string::npos);
  EXPECT_EQ((*loader)->Finish().status().message(), first.message());
}

TEST(ModelFileLoaderTest, ErrorsStickAndFinishRunsOnce) {
  const std::string& file = DemoFile();
  StatusOr<std::unique_ptr<ModelFileLoader>> loader = ModelFileLoader::Create();
  ASSERT_TRUE(loader.ok());
  ASSERT_TRUE((*loader)->Append(file.data(), file.size()).ok());
  const Status extra = (*loader)->Append("x", 1);
  EXPECT_EQ(extra.code(), StatusCode::kInvalidModel);
  EXPECT_NE(extra.message().find("goes on after its last tensor"), std::string::npos);
  EXPECT_EQ((*loader)->Append(file.data(), 10).message(), extra.message());
  EXPECT_EQ((*loader)->Finish().status().message(), extra.message());

  loader = ModelFileLoader::Create();
  ASSERT_TRUE(loader.ok());
  ASSERT_TRUE((*loader)->Append(file.data(), file.size() - 1).ok());
  StatusOr<std::unique_ptr<Model>> truncated = (*loader)->Finish();
  EXPECT_EQ(truncated.status().code(), StatusCode::kInvalidModel);
  EXPECT_EQ((*loader)->Finish().status().message(), truncated.status().message());

  loader = ModelFileLoader::Create();
  ASSERT_TRUE(loader.ok());
  ASSERT_TRUE((*loader)->Append(file.data(), file.size()).ok());
  ASSERT_TRUE((*loader)->Finish().ok());
  EXPECT_EQ((*loader)->Finish().status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*loader)->Append(file.data(), 1).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hb
