// hummingbert_calibrate.h: file formats, label resolution, shuffling and tokenization around
// CalibrateExitHeads (exit_calibration.h), which does the fitting.
#include <algorithm>
#include <cctype>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "base/file_io.h"
#include "base/thread_pool.h"
#include "calibrate/exit_calibration.h"
#include "format/bert_config.h"
#include "format/hf_checkpoint.h"
#include "format/model_file.h"
#include "format/safetensors_reader.h"
#include "format/huggingface_files.h"
#include "hummingbert_calibrate.h"
#include "quant/quantize_weights.h"
#include "tokenizer/bert_tokenizer.h"

namespace hb {
namespace {

Status WithFile(const Status& s, const std::string& file) {
  return Status(s.code(), file + ": " + s.message());
}

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Where(const LabeledText& t, size_t index) {
  return t.line > 0 ? "line " + std::to_string(t.line) : "example " + std::to_string(index);
}

// A label id ("1") or name ("positive"; exact, then any case) -> id.
StatusOr<int> ResolveLabel(const LabeledText& t, size_t index,
                           const std::vector<std::string>& labels) {
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == t.label) return static_cast<int>(i);
  }
  if (!t.label.empty() && t.label.size() < 10 &&
      std::all_of(t.label.begin(), t.label.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    const int id = std::stoi(t.label);
    if (id < static_cast<int>(labels.size())) return id;
  }
  const std::string lower = Lower(t.label);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (Lower(labels[i]) == lower) return static_cast<int>(i);
  }
  std::string names;
  for (size_t i = 0; i < labels.size(); ++i) names += (i ? ", " : "") + labels[i];
  return InvalidArgument(Where(t, index) + ": label '" + t.label +
                         "' is not one of the model's labels; use an id in [0, " +
                         std::to_string(labels.size() - 1) + "] or a name in [" + names + "]");
}

// Everything after loading: resolve labels, shuffle, tokenize, calibrate. Leaves the heads and
// rule in *weights.
StatusOr<CalibrationReport> Calibrate(BertWeights* weights, const TokenizerSettings& settings,
                                      std::string_view vocab_txt,
                                      const std::vector<LabeledText>& data,
                                      const CalibrateOptions& options) {
  const BertConfig& config = weights->config;
  if (config.task != TaskKind::kSequenceClassification) {
    return Unsupported("calibrate-exits needs a sequence classifier (e.g. "
                       "BertForSequenceClassification); the model is " + config.architecture);
  }
  if (options.num_threads < 1) {
    return InvalidArgument("num_threads must be at least 1, got " +
                           std::to_string(options.num_threads));
  }
  if (options.max_examples < 0) {
    return InvalidArgument("max_examples must be >= 0 (0: all), got " +
                           std::to_string(options.max_examples));
  }
  if (data.empty()) return InvalidArgument("no labeled examples: the data is empty");
  int max_length = std::min(settings.model_max_length, config.max_position_embeddings);
  if (options.max_length != 0) {
    if (options.max_length < 2 || options.max_length > config.max_position_embeddings) {
      return InvalidArgument("max_length must be in [2, " +
                             std::to_string(config.max_position_embeddings) + "], got " +
                             std::to_string(options.max_length));
    }
    max_length = options.max_length;
  }
  std::vector<int> all_labels(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    HB_ASSIGN_OR_RETURN(all_labels[i], ResolveLabel(data[i], i, config.labels));
  }
  std::vector<size_t> order = ShuffledIndices(data.size(), options.seed);
  if (options.max_examples > 0 && order.size() > static_cast<size_t>(options.max_examples)) {
    order.resize(static_cast<size_t>(options.max_examples));
  }
  HB_ASSIGN_OR_RETURN(std::unique_ptr<BertTokenizer> tokenizer,
                      BertTokenizer::Create(vocab_txt, settings));
  EncodeOptions eo;
  eo.max_length = max_length;
  std::vector<Encoding> encodings;
  std::vector<int> labels;
  encodings.reserve(order.size());
  for (size_t i : order) {
    const LabeledText& t = data[i];
    StatusOr<Encoding> e =
        t.has_pair ? tokenizer->EncodePair(t.text, t.text_pair, eo) : tokenizer->Encode(t.text, eo);
    if (!e.ok()) return Status(e.status().code(), Where(t, i) + ": " + e.status().message());
    encodings.push_back(std::move(e).value());
    labels.push_back(all_labels[i]);
  }
  ThreadPool pool(options.num_threads);
  return CalibrateExitHeads(weights, encodings, labels, options, &pool);
}

StatusOr<CalibratedModel> FromFiles(const HuggingFaceFiles& files,
                                    const std::vector<LabeledText>& data,
                                    const CalibrateOptions& options) {
  ModelDtype dtype = ModelDtype::kFp32;
  if (!options.model_file_dtype.empty()) {
    HB_ASSIGN_OR_RETURN(dtype, ParseModelDtype(options.model_file_dtype));
  }
  StatusOr<BertConfig> config = ParseBertConfig(files.config_json);
  if (!config.ok()) return WithFile(config.status(), "config.json");
  StatusOr<SafetensorsReader> reader =
      SafetensorsReader::Parse(Bytes(files.safetensors), files.safetensors.size());
  if (!reader.ok()) return WithFile(reader.status(), "model.safetensors");
  StatusOr<BertWeights> loaded = LoadBertWeights(*config, *reader);
  if (!loaded.ok()) return WithFile(loaded.status(), "model.safetensors");
  BertWeights weights = std::move(loaded).value();
  HB_ASSIGN_OR_RETURN(TokenizerSettings settings,
                      ParseTokenizerSettings(files.tokenizer_config_json, files.tokenizer_json,
                                             files.special_tokens_map_json));
  // Calibrate on the weights the model file will hold, so heads and threshold fit them.
  if (!options.model_file_dtype.empty()) HB_RETURN_IF_ERROR(QuantizeModel(weights, dtype));
  CalibratedModel out;
  HB_ASSIGN_OR_RETURN(out.report, Calibrate(&weights, settings, files.vocab_txt, data, options));
  out.exit_config_json = ExitConfigToJson(weights, out.report);
  out.exit_heads_safetensors = ExitHeadsToSafetensors(weights);
  if (!options.model_file_dtype.empty()) {
    WriteOptions wo;
    wo.dtype = dtype;
    HB_ASSIGN_OR_RETURN(out.model_file, WriteModelFile(weights, settings, files.vocab_txt, wo));
  }
  return out;
}

StatusOr<CalibratedModel> FromModelFile(const uint8_t* bytes, size_t size,
                                        const std::vector<LabeledText>& data,
                                        const CalibrateOptions& options) {
  HB_ASSIGN_OR_RETURN(ModelFileContents contents, ReadModelFile(bytes, size));
  HB_ASSIGN_OR_RETURN(ModelDtype dtype, ParseModelDtype(contents.dtype));
  if (!options.model_file_dtype.empty() && options.model_file_dtype != contents.dtype) {
    return InvalidArgument("the input model file is " + contents.dtype +
                           "; calibrate-exits keeps its dtype (convert the Hugging Face folder "
                           "instead to get " + options.model_file_dtype + ")");
  }
  CalibratedModel out;
  HB_ASSIGN_OR_RETURN(out.report, Calibrate(&contents.weights, contents.settings,
                                            contents.vocab_txt, data, options));
  out.exit_config_json = ExitConfigToJson(contents.weights, out.report);
  out.exit_heads_safetensors = ExitHeadsToSafetensors(contents.weights);
  WriteOptions wo;
  wo.dtype = dtype;
  HB_ASSIGN_OR_RETURN(out.model_file,
                      WriteModelFile(contents.weights, contents.settings, contents.vocab_txt, wo));
  return out;
}

}  // namespace

StatusOr<std::vector<LabeledText>> ParseLabeledTsv(std::string_view tsv) {
  try {
    std::vector<LabeledText> out;
    size_t pos = 0;
    int line_no = 0;
    while (pos < tsv.size()) {
      size_t nl = tsv.find('\n', pos);
      if (nl == std::string_view::npos) nl = tsv.size();
      std::string_view line = tsv.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      std::vector<std::string_view> fields;
      size_t start = 0;
      for (;;) {
        const size_t tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
      }
      if (fields.size() < 2 || fields.size() > 3) {
        return InvalidArgument("line " + std::to_string(line_no) + ": expected 'text<TAB>label' "
                               "or 'text_a<TAB>text_b<TAB>label', found " +
                               std::to_string(fields.size()) + " tab-separated field" +
                               (fields.size() == 1 ? "" : "s"));
      }
      std::string label(fields.back());
      while (!label.empty() && (label.back() == ' ' || label.back() == '\t')) label.pop_back();
      while (!label.empty() && label.front() == ' ') label.erase(label.begin());
      if (line_no == 1 && Lower(label) == "label") continue;  // a GLUE-style header
      LabeledText t;
      t.text = std::string(fields[0]);
      if (fields.size() == 3) {
        t.text_pair = std::string(fields[1]);
        t.has_pair = true;
      }
      t.label = std::move(label);
      t.line = line_no;
      out.push_back(std::move(t));
    }
    if (out.empty()) return InvalidArgument("no labeled examples in the data");
    return out;
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory reading the labeled data");
  }
}

StatusOr<CalibratedModel> CalibrateExitsFromFiles(const HuggingFaceFiles& files,
                                                  const std::vector<LabeledText>& data,
                                                  const CalibrateOptions& options) {
  try {
    return FromFiles(files, data, options);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory calibrating exit heads");
  }
}

StatusOr<CalibratedModel> CalibrateExitsFromModelFile(const uint8_t* bytes, size_t size,
                                                      const std::vector<LabeledText>& data,
                                                      const CalibrateOptions& options) {
  try {
    return FromModelFile(bytes, size, data, options);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory calibrating exit heads");
  }
}

StatusOr<CalibratedModel> CalibrateExitsFromPath(const std::string& path,
                                                 const std::vector<LabeledText>& data,
                                                 const CalibrateOptions& options) {
  if (FileExists(path)) {
    HB_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
    if (!LooksLikeModelFile(Bytes(bytes), bytes.size())) {
      return InvalidArgument("'" + path + "' is neither a hummingbert model file nor a Hugging "
                             "Face model folder");
    }
    return CalibrateExitsFromModelFile(Bytes(bytes), bytes.size(), data, options);
  }
  HB_ASSIGN_OR_RETURN(HuggingFaceFolder folder, ReadHuggingFaceFolder(path));
  HuggingFaceFiles files = folder.View();
  // Calibration fits new heads: heads already in the folder are not read.
  files.exit_config_json = {};
  files.exit_heads_safetensors = {};
  return CalibrateExitsFromFiles(files, data, options);
}

}  // namespace hb
