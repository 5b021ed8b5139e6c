// Bad input through the public API: missing or malformed model folders, bad options, invalid
// UTF-8. Each must give a Status with the right code and a message naming the problem.
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "hummingbert.h"

namespace hb {
namespace {

std::string Fixture(const std::string& rel) { return std::string(HB_FIXTURES_DIR) + "/" + rel; }

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Files {
  std::string config, weights, vocab, tokenizer_config;
  HuggingFaceFiles View() const {
    HuggingFaceFiles f;
    f.config_json = config;
    f.safetensors = weights;
    f.vocab_txt = vocab;
    f.tokenizer_config_json = tokenizer_config;
    return f;
  }
};

Files LoadFiles(const std::string& name) {
  const std::string d = Fixture("models/" + name + "/");
  return Files{Slurp(d + "config.json"), Slurp(d + "model.safetensors"), Slurp(d + "vocab.txt"),
               Slurp(d + "tokenizer_config.json")};
}

void ExpectError(const Status& s, StatusCode code, const std::string& fragment) {
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_NE(s.message().find(fragment), std::string::npos)
      << "message '" << s.message() << "' lacks '" << fragment << "'";
}

TEST(ModelErrors, MissingFolder) {
  auto m = Model::FromHuggingFaceDir(Fixture("no/such/model"));
  ExpectError(m.status(), StatusCode::kNotFound, "does not exist");
  // A folder that exists but is not a model names the file it lacks.
  auto t = Model::Load(Fixture("tokenizer"));
  ExpectError(t.status(), StatusCode::kNotFound, "config.json");
}

TEST(ModelErrors, EveryTruncationOfTheWeightsIsRejected) {
  Files f = LoadFiles("bert_seqcls");
  const std::string full = f.weights;
  // Cut points: inside the length prefix, inside the header, and inside the data.
  for (size_t cut : {size_t{0}, size_t{3}, size_t{8}, size_t{20}, size_t{200}, full.size() / 2,
                     full.size() - 1}) {
    f.weights = full.substr(0, cut);
    auto m = Model::FromHuggingFaceFiles(f.View());
    EXPECT_FALSE(m.ok()) << "cut at " << cut;
    if (!m.ok()) EXPECT_EQ(m.status().code(), StatusCode::kInvalidModel) << m.status().ToString();
  }
}

TEST(ModelErrors, BadConfig) {
  Files f = LoadFiles("bert_seqcls");
  f.config = "{ not json";
  ExpectError(Model::FromHuggingFaceFiles(f.View()).status(), StatusCode::kInvalidModel,
              "config.json");
  f = LoadFiles("bert_seqcls");
  f.config.replace(f.config.find("BertForSequenceClassification"), 29, "BertForQuestionAnswering");
  ExpectError(Model::FromHuggingFaceFiles(f.View()).status(), StatusCode::kUnsupported,
              "BertForQuestionAnswering");
}

TEST(ModelErrors, ConfigShapesThatDisagreeWithTheWeights) {
  Files f = LoadFiles("bert_seqcls");
  f.config.replace(f.config.find("\"intermediate_size\": 100"), 24, "\"intermediate_size\": 96");
  auto m = Model::FromHuggingFaceFiles(f.View());
  ExpectError(m.status(), StatusCode::kInvalidModel, "intermediate");
}

TEST(ModelErrors, VocabLargerThanEmbeddingTable) {
  Files f = LoadFiles("bert_seqcls");
  for (int i = 0; i < 5000; ++i) f.vocab += "extra" + std::to_string(i) + "\n";
  ExpectError(Model::FromHuggingFaceFiles(f.View()).status(), StatusCode::kInvalidModel,
              "vocab.txt");
}

TEST(ModelErrors, InvalidUtf8Text) {
  auto m = Model::FromHuggingFaceDir(Fixture("models/bert_seqcls"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  for (std::string bad : {std::string("abc\xff"), std::string("\xc3"), std::string("\xed\xa0\x80"),
                          std::string("\xc0\xaf"), std::string("ok \xf4\x90\x80\x80")}) {
    auto r = (*m)->Run(std::vector<std::string>{"fine", bad});
    ExpectError(r.status(), StatusCode::kInvalidArgument, "text 1");
    auto t = (*m)->Tokenize(bad);
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  }
  // The model stays usable after errors.
  EXPECT_TRUE((*m)->Run(std::vector<std::string>{"still works"}).ok());
}

TEST(ModelErrors, MaxLengthOutOfRange) {
  auto m = Model::FromHuggingFaceDir(Fixture("models/bert_seqcls"));
  ASSERT_TRUE(m.ok());
  RunOptions o;
  o.max_length = 100000;
  ExpectError((*m)->Run(std::vector<std::string>{"x"}, o).status(), StatusCode::kInvalidArgument, "max_position");
  o.max_length = -3;
  ExpectError((*m)->Run(std::vector<std::string>{"x"}, o).status(), StatusCode::kInvalidArgument, "max_length");
}

TEST(ModelErrors, EmptyAndHugeTexts) {
  auto m = Model::FromHuggingFaceDir(Fixture("models/distilbert_seqcls"));
  ASSERT_TRUE(m.ok());
  std::string huge(1'000'000, 'a');  // under the default max_text_bytes (1 MiB)
  for (size_t i = 0; i < huge.size(); i += 7) huge[i] = ' ';
  auto r = (*m)->Run(std::vector<std::string>{"", huge, "   "});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].encoding.ids.size(), 2u);  // [CLS] [SEP]
  EXPECT_EQ((*r)[1].encoding.ids.size(), static_cast<size_t>((*m)->info().max_length));
  EXPECT_TRUE((*r)[1].encoding.truncated);
}

TEST(ModelErrors, PairOnModelWithoutTokenTypes) {
  auto m = Model::FromHuggingFaceDir(Fixture("models/distilbert_seqcls"));
  ASSERT_TRUE(m.ok());
  // DistilBERT has no token type embeddings; pairs still run (HF ignores type ids there).
  auto r = (*m)->Run(std::vector<TextPair>{{"a", "b", true}});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

}  // namespace
}  // namespace hb
