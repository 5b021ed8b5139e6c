// Fuzz target: the JSON configuration parsers. The input is split at NUL bytes into
//   config.json \0 tokenizer_config.json \0 tokenizer.json \0 special_tokens_map.json \0
//   exit_config.json
// (missing parts are empty). ParseBertConfig gets part 0, ParseTokenizerSettings parts 1-3,
// ParseExitSettings part 4 (or part 0 when there is no part 4) after hb::ParseJson (the core's
// JSON parser, base/json.h). Errors are expected; crashes, leaks, UB and uncaught exceptions are
// bugs.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "format/bert_config.h"
#include "format/exit_heads.h"
#include "tokenizer/bert_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() < 4) {
    const size_t nul = in.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(in.substr(0, nul));
    in.remove_prefix(nul + 1);
  }
  parts.push_back(in);
  const bool has_exit_part = parts.size() == 5;
  parts.resize(5);

  int num_layers = 12;
  hb::StatusOr<hb::BertConfig> config = hb::ParseBertConfig(parts[0]);
  if (config.ok()) {
    num_layers = config->num_layers;
    (void)config->num_labels();
  }
  hb::StatusOr<hb::TokenizerSettings> settings =
      hb::ParseTokenizerSettings(parts[1], parts[2], parts[3]);
  (void)settings;

  const std::string_view exit_text = has_exit_part ? parts[4] : parts[0];
  hb::Json json;
  if (hb::ParseJson(exit_text, "exit_config.json", hb::JsonLimits{}, &json).ok()) {
    for (int layers : {num_layers, 1, 4}) {
      hb::StatusOr<hb::ExitSettings> exit = hb::ParseExitSettings(json, "exit_config.json", layers);
      if (exit.ok()) (void)hb::ValidateExitRule(exit->rule, layers);
    }
  }
  return 0;
}
