// Reading a Hugging Face model folder: one place for the file names and their errors.
#include "format/huggingface_files.h"

#include "base/file_io.h"

namespace hb {

HuggingFaceFiles HuggingFaceFolder::View() const {
  HuggingFaceFiles f;
  f.config_json = config_json;
  f.safetensors = safetensors;
  f.vocab_txt = vocab_txt;
  f.tokenizer_config_json = tokenizer_config_json;
  f.tokenizer_json = tokenizer_json;
  f.special_tokens_map_json = special_tokens_map_json;
  f.exit_config_json = exit_config_json;
  f.exit_heads_safetensors = exit_heads_safetensors;
  return f;
}

StatusOr<HuggingFaceFolder> ReadHuggingFaceFolder(const std::string& dir) {
  if (!FileExists(dir) && !DirectoryExists(dir)) {
    return NotFound("'" + dir + "' does not exist (expected a model file or a model folder)");
  }
  if (!FileExists(JoinPath(dir, "config.json"))) {
    return NotFound("no config.json in '" + dir + "' (expected a Hugging Face model folder)");
  }
  if (!FileExists(JoinPath(dir, "model.safetensors"))) {
    if (FileExists(JoinPath(dir, "pytorch_model.bin"))) {
      return Unsupported("'" + dir +
                         "' holds pytorch_model.bin; hummingbert reads model.safetensors (save "
                         "with save_pretrained(..., safe_serialization=True))");
    }
    return NotFound("no model.safetensors in '" + dir + "'");
  }
  if (!FileExists(JoinPath(dir, "vocab.txt"))) {
    return NotFound("no vocab.txt in '" + dir + "'");
  }
  HuggingFaceFolder folder;
  const std::pair<const char*, std::string*> files[] = {
      {"config.json", &folder.config_json},
      {"model.safetensors", &folder.safetensors},
      {"vocab.txt", &folder.vocab_txt},
      {"tokenizer_config.json", &folder.tokenizer_config_json},
      {"tokenizer.json", &folder.tokenizer_json},
      {"special_tokens_map.json", &folder.special_tokens_map_json},
      {"exit_config.json", &folder.exit_config_json},
      {"exit_heads.safetensors", &folder.exit_heads_safetensors}};
  for (const auto& [name, out] : files) {
    const std::string path = JoinPath(dir, name);
    if (FileExists(path)) {
      HB_ASSIGN_OR_RETURN(*out, ReadFile(path));
    }
  }
  return folder;
}

}  // namespace hb
