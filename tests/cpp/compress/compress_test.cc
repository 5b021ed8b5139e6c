// Pruning, factorization and layer sharing (hummingbert_compress.h, src/compress/): each result
// equals the reference computation of the smaller network it claims to be.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compress/factorize.h"
#include "compress/layer_sharing.h"
#include "compress/pruning.h"
#include "compress/svd.h"
#include "compress_test_util.h"
#include "format/model_file.h"
#include "hummingbert.h"
#include "hummingbert_compress.h"
#include "hummingbert_convert.h"
#include "quant/quantize_weights.h"

namespace hb {
namespace {

using testing::EngineHidden;
using testing::LoadFixture;
using testing::MaxAbsDiff;
using testing::ReferenceHidden;
using testing::TestIds;

constexpr char kModel[] = "bert_seqcls";  // 3 layers, hidden 48, 3 heads of 16, FFN 100

::testing::AssertionResult IsError(const Status& s, StatusCode code, const std::string& text) {
  if (s.code() == code && s.message().find(text) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "got " << s.ToString() << ", expected code "
                                       << static_cast<int>(code) << " with '" << text << "'";
}

std::string ModelFile(const std::string& dtype) {
  ConvertOptions o;
  o.dtype = dtype;
  StatusOr<std::string> file = ConvertHuggingFaceDir(testing::FixtureDir(kModel), o);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  return file.ok() ? *file : "";
}

// Logits of a few texts through the public API.
std::vector<std::vector<float>> RunTexts(const std::string& model_file) {
  StatusOr<std::unique_ptr<Model>> model = Model::FromModelFile(model_file);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  if (!model.ok()) return {};
  RunOptions o;
  o.early_exit = EarlyExit::kOff;
  StatusOr<std::vector<Output>> out = (*model)->Run(
      std::vector<std::string>{"the film was great", "a dull, lifeless film", "okay i guess"}, o);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  std::vector<std::vector<float>> logits;
  if (out.ok()) {
    for (const Output& x : *out) logits.push_back(x.logits);
  }
  return logits;
}

ModelFileContents Read(const std::string& bytes) {
  StatusOr<ModelFileContents> c =
      ReadModelFile(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c).value() : ModelFileContents{};
}

std::string Write(const BertWeights& w, const testing::Fixture& f, ModelDtype dtype) {
  WriteOptions o;
  o.dtype = dtype;
  StatusOr<std::string> bytes = WriteModelFile(w, f.loaded.settings, f.folder.vocab_txt, o);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : "";
}

TEST(PruneTest, EqualsTheExplicitSmallerNetwork) {
  const testing::Fixture f = LoadFixture(kModel);
  BertWeights pruned = f.loaded.weights;
  ASSERT_TRUE(PruneHeads(pruned, 1, {0, 2}).ok());
  std::vector<int> even;
  for (int n = 0; n < 100; n += 2) even.push_back(n);
  ASSERT_TRUE(PruneNeurons(pruned, 2, even).ok());

  // The same network written out by hand: layer 1 keeps heads 0 and 2 (16 rows each of Q, K and
  // V, 16 columns each of the output projection), layer 2 keeps the even FFN neurons.
  BertWeights expected = f.loaded.weights;
  const EncoderLayerWeights& src1 = f.loaded.weights.layers[1];
  EncoderLayerWeights& l1 = expected.layers[1];
  l1.qkv.w.clear();
  l1.qkv.b.clear();
  for (int part = 0; part < 3; ++part) {
    for (int head : {0, 2}) {
      for (int r = 0; r < 16; ++r) {
        const int row = part * 48 + head * 16 + r;
        l1.qkv.w.insert(l1.qkv.w.end(), src1.qkv.w.begin() + row * 48,
                        src1.qkv.w.begin() + (row + 1) * 48);
        l1.qkv.b.push_back(src1.qkv.b[row]);
      }
    }
  }
  l1.qkv.out = 96;
  l1.attention_output.w.clear();
  for (int i = 0; i < 48; ++i) {
    for (int col : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}) {
      l1.attention_output.w.push_back(src1.attention_output.w[i * 48 + col]);
    }
    for (int col = 32; col < 48; ++col) {
      l1.attention_output.w.push_back(src1.attention_output.w[i * 48 + col]);
    }
  }
  l1.attention_output.in = 32;
  const EncoderLayerWeights& src2 = f.loaded.weights.layers[2];
  EncoderLayerWeights& l2 = expected.layers[2];
  l2.ffn_in.w.clear();
  l2.ffn_in.b.clear();
  l2.ffn_out.w.clear();
  for (int n : even) {
    l2.ffn_in.w.insert(l2.ffn_in.w.end(), src2.ffn_in.w.begin() + n * 48,
                       src2.ffn_in.w.begin() + (n + 1) * 48);
    l2.ffn_in.b.push_back(src2.ffn_in.b[n]);
  }
  for (int i = 0; i < 48; ++i) {
    for (int n : even) l2.ffn_out.w.push_back(src2.ffn_out.w[i * 100 + n]);
  }
  l2.ffn_in.out = l2.ffn_out.in = 50;
  expected.config.layers.assign(3, LayerConfig{});
  expected.config.layers[1].num_heads = 2;
  expected.config.layers[2].intermediate_size = 50;

  EXPECT_EQ(pruned.layers[1].qkv.w, l1.qkv.w);
  EXPECT_EQ(pruned.layers[1].qkv.b, l1.qkv.b);
  EXPECT_EQ(pruned.layers[1].attention_output.w, l1.attention_output.w);
  EXPECT_EQ(pruned.layers[2].ffn_in.w, l2.ffn_in.w);
  EXPECT_EQ(pruned.layers[2].ffn_out.w, l2.ffn_out.w);
  EXPECT_EQ(pruned.config.LayerHeads(1), 2);
  EXPECT_EQ(pruned.config.LayerIntermediate(2), 50);

  const std::vector<int32_t> ids = TestIds(11);
  const std::vector<float> engine = EngineHidden(pruned, ids);
  EXPECT_LT(MaxAbsDiff(engine, ReferenceHidden(expected, ids)), 1e-4);
  EXPECT_GT(MaxAbsDiff(engine, EngineHidden(f.loaded.weights, ids)), 1e-3);  // it did change
  // Through the model file (format_version 2) and back: the same numbers.
  const std::string file = Write(pruned, f, ModelDtype::kFp32);
  ModelFileContents read = Read(file);
  EXPECT_EQ(read.format_version, 2);
  EXPECT_EQ(EngineHidden(read.weights, ids), engine);
}

TEST(PruneTest, NothingRemovedIsTheIdentity) {
  for (const char* dtype : {"fp32", "fp16", "int8"}) {
    const std::string file = ModelFile(dtype);
    PruneOptions o;
    o.texts = {"a sample text", "another one"};
    StatusOr<CompressedModel> out = PruneModelFile(file, o);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(out->dtype, dtype);
    EXPECT_EQ(RunTexts(out->model_file), RunTexts(file)) << dtype;  // bit-identical
    EXPECT_EQ(Read(out->model_file).format_version, 1);
  }
}

TEST(PruneTest, ApiPrunesEveryLayerByActivations) {
  const std::string file = ModelFile("fp32");
  PruneOptions o;
  o.heads = 0.34;  // round(1.02) = 1 of 3 heads
  o.ffn = 0.5;
  o.texts = {"the film was great", "a dull, lifeless film", "okay i guess", "not bad at all"};
  StatusOr<CompressedModel> out = PruneModelFile(file, o);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const ModelFileContents c = Read(out->model_file);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c.weights.config.LayerHeads(i), 2);
    EXPECT_EQ(c.weights.config.LayerIntermediate(i), 50);
  }
  EXPECT_LT(out->output_parameters, out->input_parameters);
  EXPECT_NE(out->report_json.find("\"criterion\": \"activation\""), std::string::npos);
  EXPECT_EQ(RunTexts(out->model_file).size(), 3u);
  // The engine runs the pruned file exactly as the reference computes it.
  const std::vector<int32_t> ids = TestIds(9, 3);
  EXPECT_LT(MaxAbsDiff(EngineHidden(c.weights, ids), ReferenceHidden(c.weights, ids)), 1e-4);
  // Weight magnitude when there are no texts; int8 output.
  o.texts.clear();
  o.dtype = "int8";
  out = PruneModelFile(file, o);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->dtype, "int8");
  EXPECT_NE(out->report_json.find("\"criterion\": \"weight\""), std::string::npos);
  EXPECT_EQ(RunTexts(out->model_file).size(), 3u);
}

TEST(ShareTest, SharedLayersEqualTheUnsharedCopy) {
  const testing::Fixture f = LoadFixture(kModel);
  BertWeights copied = f.loaded.weights;
  copied.layers[2] = copied.layers[0];  // layer 2 = a copy of layer 0
  BertWeights shared = f.loaded.weights;
  ASSERT_TRUE(ShareLayers(shared, {0, 1, 0}).ok());
  EXPECT_TRUE(shared.layers[2].qkv.w.empty());
  const std::vector<int32_t> ids = TestIds(13);
  const std::vector<float> expected = EngineHidden(copied, ids);
  EXPECT_EQ(EngineHidden(shared, ids), expected);  // bit-identical
  EXPECT_LT(MaxAbsDiff(expected, ReferenceHidden(shared, ids)), 1e-4);
  // Stored once: the file is smaller, and reads back to the same model.
  for (ModelDtype dtype : {ModelDtype::kFp32, ModelDtype::kInt8}) {
    BertWeights s = shared, c = copied;
    ASSERT_TRUE(QuantizeModel(s, dtype).ok());
    ASSERT_TRUE(QuantizeModel(c, dtype).ok());
    const std::string shared_file = Write(s, f, dtype), copied_file = Write(c, f, dtype);
    EXPECT_LT(shared_file.size(), copied_file.size());
    EXPECT_EQ(Read(shared_file).format_version, 2);
    EXPECT_EQ(RunTexts(shared_file), RunTexts(copied_file));
  }
  EXPECT_FALSE(ShareLayers(shared, {0, 2, 1}).ok());
  EXPECT_FALSE(ShareLayers(shared, {0, 0}).ok());
  // The API: share, then undo by sharing nothing.
  ShareOptions o;
  o.sources = {0, 0, 0};
  StatusOr<CompressedModel> out = ShareLayersModelFile(ModelFile("fp32"), o);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Read(out->model_file).weights.config.LayerSource(2), 0);
  o.sources = {0, 1, 2};
  StatusOr<CompressedModel> back = ShareLayersModelFile(out->model_file, o);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(RunTexts(back->model_file), RunTexts(out->model_file));
}

// Factorizes every encoder Linear to `rank` (capped at min(out, in)) and the embeddings to e.
BertWeights FactorizeAll(BertWeights w, int rank, int e) {
  for (int i = 0; i < w.config.num_layers; ++i) {
    EncoderLayerWeights& l = w.layers[static_cast<size_t>(i)];
    LinearWeights* linears[kNumLayerLinears] = {&l.qkv, &l.attention_output, &l.ffn_in, &l.ffn_out};
    for (int k = 0; k < kNumLayerLinears; ++k) {
      LinearWeights& lin = *linears[k];
      const int r = std::min({rank, lin.out, lin.in});
      FactorizeLinear(ComputeSvd(lin.out, lin.in, lin.w.data()), r, lin);
      MutableLayerConfig(w.config, i).ranks[k] = r;
    }
  }
  FactorizeEmbeddings(
      ComputeSvd(w.config.vocab_size, w.config.hidden_size, w.word_embeddings.data()), e, w);
  return w;
}

TEST(FactorizeTest, FullRankEqualsTheOriginal) {
  const testing::Fixture f = LoadFixture(kModel);
  const BertWeights full = FactorizeAll(f.loaded.weights, 1 << 20, 48);
  EXPECT_EQ(full.config.LayerRank(0, LayerLinear::kFfnIn), 48);
  EXPECT_EQ(full.config.embedding_size, 48);
  const std::vector<int32_t> ids = TestIds(12);
  const std::vector<float> factorized = EngineHidden(full, ids);
  EXPECT_LT(MaxAbsDiff(factorized, EngineHidden(f.loaded.weights, ids)), 1e-4);
  const ModelFileContents read = Read(Write(full, f, ModelDtype::kFp32));
  EXPECT_EQ(read.format_version, 2);
  EXPECT_EQ(EngineHidden(read.weights, ids), factorized);
}

TEST(FactorizeTest, LowRankEngineMatchesTheReference) {
  const testing::Fixture f = LoadFixture(kModel);
  const BertWeights low = FactorizeAll(f.loaded.weights, 5, 12);
  const std::vector<int32_t> ids = TestIds(10, 1);
  const std::vector<float> fp32 = EngineHidden(low, ids);
  EXPECT_LT(MaxAbsDiff(fp32, ReferenceHidden(low, ids)), 1e-4);
  // int8: both factors quantized per output channel, two int8 GEMMs; the file keeps them.
  BertWeights q = low;
  ASSERT_TRUE(QuantizeModel(q, ModelDtype::kInt8).ok());
  EXPECT_TRUE(q.layers[0].qkv.quantized() && q.layers[0].qkv.down[0].quantized());
  const std::vector<float> int8 = EngineHidden(q, ids);
  EXPECT_LT(MaxAbsDiff(int8, fp32), 0.25);
  const ModelFileContents read = Read(Write(q, f, ModelDtype::kInt8));
  EXPECT_EQ(EngineHidden(read.weights, ids), int8);
  // fp16 files round both factors to half.
  BertWeights h = low;
  ASSERT_TRUE(QuantizeModel(h, ModelDtype::kFp16).ok());
  EXPECT_EQ(EngineHidden(Read(Write(h, f, ModelDtype::kFp16)).weights, ids), EngineHidden(h, ids));
}

TEST(FactorizeTest, ApiReportsAndSkips) {
  const std::string file = ModelFile("fp32");
  FactorizeOptions o;
  o.rank = 8;  // saves on all four: 8 x (48 + 144) < 48 x 144, 8 x 96 < 48 x 48, ...
  o.embedding_rank = 16;
  StatusOr<CompressedModel> out = FactorizeModelFile(file, o);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const ModelFileContents c = Read(out->model_file);
  EXPECT_EQ(c.weights.config.LayerRank(1, LayerLinear::kQkv), 8);
  EXPECT_EQ(c.weights.config.embedding_size, 16);
  EXPECT_NE(out->report_json.find("\"relative_error\""), std::string::npos);
  EXPECT_EQ(RunTexts(out->model_file).size(), 3u);
  // rank 40: 40 x (48 + 48) >= 48 x 48, so the square attention output is skipped.
  o.rank = 40;
  o.embedding_rank = 0;
  out = FactorizeModelFile(file, o);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(out->report_json.find("\"applied\": false, \"reason\": \"no saving"),
            std::string::npos);
  EXPECT_EQ(Read(out->model_file).weights.config.LayerRank(0, LayerLinear::kAttentionOutput), 0);
  // Energy 1 keeps everything: nothing saves, nothing changes.
  o.rank = 0;
  o.energy = 1;
  out = FactorizeModelFile(file, o);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(RunTexts(out->model_file), RunTexts(file));
  // Pruning a factorized model is refused; prune first.
  o.energy = 0;
  o.rank = 8;
  out = FactorizeModelFile(file, o);
  ASSERT_TRUE(out.ok());
  PruneOptions p;
  p.heads = 0.5;
  EXPECT_TRUE(IsError(PruneModelFile(out->model_file, p).status(), StatusCode::kUnsupported,
                      "prune first"));
}

TEST(CompressTest, RejectsImpossibleArguments) {
  const std::string file = ModelFile("fp32");
  auto prune = [&](double heads, double ffn) {
    PruneOptions o;
    o.heads = heads;
    o.ffn = ffn;
    return PruneModelFile(file, o).status();
  };
  EXPECT_TRUE(IsError(prune(1.0, 0), StatusCode::kInvalidArgument, "heads must be a fraction"));
  EXPECT_TRUE(IsError(prune(-0.1, 0), StatusCode::kInvalidArgument, "heads must be a fraction"));
  EXPECT_TRUE(IsError(prune(0, 1.5), StatusCode::kInvalidArgument, "ffn must be a fraction"));
  auto factorize = [&](int rank, double energy, int e) {
    FactorizeOptions o;
    o.rank = rank;
    o.energy = energy;
    o.embedding_rank = e;
    return FactorizeModelFile(file, o).status();
  };
  EXPECT_TRUE(IsError(factorize(0, 0, 0), StatusCode::kInvalidArgument, "nothing to factorize"));
  EXPECT_TRUE(IsError(factorize(-1, 0, 0), StatusCode::kInvalidArgument, "rank must be positive"));
  EXPECT_TRUE(IsError(factorize(49, 0, 0), StatusCode::kInvalidArgument, "at most 48"));
  EXPECT_TRUE(IsError(factorize(0, 1.5, 0), StatusCode::kInvalidArgument, "energy must be in"));
  EXPECT_TRUE(IsError(factorize(0, -0.5, 0), StatusCode::kInvalidArgument, "energy must be in"));
  EXPECT_TRUE(IsError(factorize(4, 0.5, 0), StatusCode::kInvalidArgument, "not both"));
  EXPECT_TRUE(IsError(factorize(0, 0, 49), StatusCode::kInvalidArgument, "embedding rank"));
  PruneOptions o;
  o.heads = 0.5;
  EXPECT_EQ(PruneModelPath("no/such/model.hbm", o).status().code(), StatusCode::kNotFound);
  o.dtype = "int4";
  EXPECT_TRUE(IsError(PruneModelFile(file, o).status(), StatusCode::kInvalidArgument, "int4"));
  EXPECT_FALSE(PruneModelFile("not a model", PruneOptions{}).ok());
}

TEST(CompressTest, ModelFileChecksLayerConfigs) {
  const testing::Fixture f = LoadFixture(kModel);
  BertWeights w = f.loaded.weights;
  w.config.layers.assign(3, LayerConfig{});
  w.config.layers[1].shared_with = 2;  // a later layer
  WriteOptions o;
  o.dtype = ModelDtype::kFp32;
  EXPECT_TRUE(IsError(WriteModelFile(w, f.loaded.settings, f.folder.vocab_txt, o).status(),
                      StatusCode::kInvalidArgument, "shared_with must name an earlier layer"));
  w.config.layers[1] = LayerConfig{};
  w.config.layers[1].num_heads = 4;  // more than the model has
  EXPECT_TRUE(IsError(WriteModelFile(w, f.loaded.settings, f.folder.vocab_txt, o).status(),
                      StatusCode::kInvalidArgument, "num_heads must be in [1, 3]"));
  w.config.layers[1].num_heads = 2;  // the tensors do not match
  EXPECT_TRUE(IsError(WriteModelFile(w, f.loaded.settings, f.folder.vocab_txt, o).status(),
                      StatusCode::kInvalidArgument, "layers.1.qkv"));
  // A plain model stays format_version 1 even with an all-default 'layers'.
  w.config.layers[1].num_heads = 0;
  EXPECT_EQ(Read(Write(w, f, ModelDtype::kFp32)).format_version, 1);
}

}  // namespace
}  // namespace hb
