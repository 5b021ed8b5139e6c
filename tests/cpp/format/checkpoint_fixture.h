// Reading the committed Hugging Face fixture folders in format tests: their files' bytes and
// their fp32 weights (exit heads included when the folder has them).
#ifndef HB_TESTS_CPP_FORMAT_CHECKPOINT_FIXTURE_H_
#define HB_TESTS_CPP_FORMAT_CHECKPOINT_FIXTURE_H_

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "format/bert_config.h"
#include "format/exit_heads.h"
#include "format/hf_checkpoint.h"
#include "format/safetensors_reader.h"
#include "safetensors_builder.h"

namespace hb {
namespace testing {

// The whole file, or "" when it cannot be read.
inline std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A fixture folder by name ("demo" is the demo model), with a trailing slash.
inline std::string ModelDir(const std::string& name) {
  if (name == "demo") return std::string(HB_FIXTURES_DIR) + "/../../web-demo/model/";
  return std::string(HB_FIXTURES_DIR) + "/models/" + name + "/";
}

struct Checkpoint {
  BertWeights weights;
  std::string vocab;
};

// fp32 weights of a fixture folder (plus its exit heads when it has them) and its vocab.txt.
inline Checkpoint LoadCheckpoint(const std::string& name) {
  const std::string dir = ModelDir(name);
  Checkpoint c;
  StatusOr<BertConfig> config = ParseBertConfig(Slurp(dir + "config.json"));
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  const std::string st = Slurp(dir + "model.safetensors");
  StatusOr<SafetensorsReader> reader = SafetensorsReader::Parse(Bytes(st), st.size());
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  StatusOr<BertWeights> w = LoadBertWeights(*config, *reader);
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  if (w.ok()) c.weights = std::move(w).value();
  const std::string heads = Slurp(dir + "exit_heads.safetensors");
  if (!heads.empty()) {
    StatusOr<SafetensorsReader> hr = SafetensorsReader::Parse(Bytes(heads), heads.size());
    EXPECT_TRUE(hr.ok()) << hr.status().ToString();
    Status s = LoadExitHeads(Slurp(dir + "exit_config.json"), *hr, &c.weights);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  c.vocab = Slurp(dir + "vocab.txt");
  return c;
}

}  // namespace testing
}  // namespace hb

#endif  // HB_TESTS_CPP_FORMAT_CHECKPOINT_FIXTURE_H_
