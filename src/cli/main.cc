// `hummingbert`: the native command-line front end. A thin layer over hummingbert.h: parse
// arguments, read lines, print JSON Lines. Errors print one line "error: ..." and exit 1
// (2 for usage errors).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "cli/calibrate_command.h"
#include "cli/compress_commands.h"
#include "cli/convert_command.h"
#include "cli/json_writer.h"
#include "hummingbert.h"

namespace hb::cli {
namespace {

constexpr const char* kUsage = R"(usage:
  hummingbert run [--model DIR|FILE.hbm] --input FILE [--max-length N] [--batch-size N] [--pairs]
                  [--embeddings] [--normalize] [--threads N] [--dtype int8|fp32]
                  [--int8-activations int8|u7]
                  [--early-exit default|off|entropy|max-prob|patience]
                  [--exit-threshold X] [--exit-patience K]
                  [--attention default|dense|sliding-window] [--window W] [--global P,P,...]
                  [--long-input truncate|chunk] [--max-text-bytes N] [--max-total-tokens N]
  hummingbert tokenize (--model DIR | --vocab FILE [--cased]) --input FILE [--max-length N]
                  [--pairs] [--offsets codepoint|utf16|byte] [--max-text-bytes N]
  hummingbert convert HF_DIR -o MODEL_FILE [--dtype int8|fp16|fp32]   (default int8)
  hummingbert calibrate-exits MODEL --data LABELED.tsv -o OUT [--max-drop 0.01]
                  [--rule entropy|max-prob|patience] [--holdout 0.3] [--l2 X] [--max-examples N]
  hummingbert prune MODEL -o OUT.hbm [--heads R] [--ffn R] [--data FILE]   (see Compression)
  hummingbert factorize MODEL -o OUT.hbm (--rank R | --energy E) [--embedding-rank E]
  hummingbert share MODEL -o OUT.hbm --sources 0,0,2,2
  hummingbert --version

  --input FILE   UTF-8 text, one input per line ("-" reads stdin). With --pairs, each line
                 holds two texts separated by a tab.
  --max-text-bytes N    limit on one input line's UTF-8 bytes (default 1048576)
  --max-total-tokens N  limit on the tokens run per batch (default 1048576)
  Output: JSON Lines on stdout, one object per input line.
)";

struct Args {
  std::string command, model, vocab, input;
  int max_length = 0;
  int batch_size = 32;
  int threads = 1;
  std::string dtype;
  std::string int8_activations;
  EarlyExit early_exit = EarlyExit::kModelDefault;
  float exit_threshold = -1;
  int exit_patience = 0;
  bool cased = false, pairs = false, embeddings = false, normalize = false;
  OffsetUnit offsets = OffsetUnit::kCodePoint;
  AttentionOptions attention;
  LongInput long_input = LongInput::kTruncate;
  int max_text_bytes = 0, max_total_tokens = 0;  // 0: the defaults (hb::InputLimits)
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "error: %s\n%s", message.c_str(), kUsage);
  return 2;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return 1;
}

bool ParseInt(const char* s, int* out) {
  char* end = nullptr;
  long v = std::strtol(s, &end, 10);
  if (end == s || *end != '\0' || v < 0 || v > (1 << 30)) return false;
  *out = static_cast<int>(v);
  return true;
}

// Returns an error message, or empty on success.
std::string ParseArgs(int argc, char** argv, Args* a) {
  if (argc < 2) return "missing command";
  a->command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string f = argv[i];
    auto value = [&](const char** v) -> bool {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    const char* v = nullptr;
    if (f == "--model") {
      if (!value(&v)) return "--model needs a value";
      a->model = v;
    } else if (f == "--vocab") {
      if (!value(&v)) return "--vocab needs a value";
      a->vocab = v;
    } else if (f == "--input") {
      if (!value(&v)) return "--input needs a value";
      a->input = v;
    } else if (f == "--max-length") {
      if (!value(&v) || !ParseInt(v, &a->max_length) || a->max_length < 2) {
        return "--max-length needs an integer >= 2";
      }
    } else if (f == "--max-text-bytes") {
      if (!value(&v) || !ParseInt(v, &a->max_text_bytes) || a->max_text_bytes < 1) {
        return "--max-text-bytes needs a positive integer";
      }
    } else if (f == "--max-total-tokens") {
      if (!value(&v) || !ParseInt(v, &a->max_total_tokens) || a->max_total_tokens < 1) {
        return "--max-total-tokens needs a positive integer";
      }
    } else if (f == "--batch-size") {
      if (!value(&v) || !ParseInt(v, &a->batch_size) || a->batch_size < 1) {
        return "--batch-size needs a positive integer";
      }
    } else if (f == "--dtype") {
      if (!value(&v)) return "--dtype needs a value";
      a->dtype = v;
    } else if (f == "--int8-activations") {
      if (!value(&v)) return "--int8-activations needs a value";
      a->int8_activations = v;
      if (a->int8_activations != "int8" && a->int8_activations != "u7") {
        return "--int8-activations must be one of int8, u7";
      }
    } else if (f == "--threads") {
      if (!value(&v) || !ParseInt(v, &a->threads) || a->threads < 1 || a->threads > 256) {
        return "--threads needs an integer in [1, 256]";
      }
    } else if (f == "--early-exit") {
      if (!value(&v)) return "--early-exit needs a value";
      const std::string e = v;
      if (e == "default") {
        a->early_exit = EarlyExit::kModelDefault;
      } else if (e == "off") {
        a->early_exit = EarlyExit::kOff;
      } else if (e == "entropy") {
        a->early_exit = EarlyExit::kEntropy;
      } else if (e == "max-prob") {
        a->early_exit = EarlyExit::kMaxProb;
      } else if (e == "patience") {
        a->early_exit = EarlyExit::kPatience;
      } else {
        return "--early-exit must be one of default, off, entropy, max-prob, patience";
      }
    } else if (f == "--attention") {
      if (!value(&v)) return "--attention needs a value";
      const std::string m = v;
      if (m == "default") {
        a->attention.mode = AttentionMode::kModelDefault;
      } else if (m == "dense") {
        a->attention.mode = AttentionMode::kDense;
      } else if (m == "sliding-window" || m == "sliding_window") {
        a->attention.mode = AttentionMode::kSlidingWindow;
      } else {
        return "--attention must be one of default, dense, sliding-window";
      }
    } else if (f == "--window") {
      if (!value(&v) || !ParseInt(v, &a->attention.window) || a->attention.window < 2) {
        return "--window needs an integer >= 2";
      }
    } else if (f == "--global") {
      if (!value(&v)) return "--global needs comma-separated token positions";
      std::string list = v;
      size_t pos = 0;
      while (pos <= list.size()) {
        const size_t comma = std::min(list.find(',', pos), list.size());
        int p = 0;
        if (!ParseInt(list.substr(pos, comma - pos).c_str(), &p) || p < 0) {
          return "--global needs comma-separated token positions >= 0";
        }
        a->attention.global_positions.push_back(p);
        pos = comma + 1;
      }
    } else if (f == "--long-input") {
      if (!value(&v)) return "--long-input needs a value";
      const std::string m = v;
      if (m == "truncate") {
        a->long_input = LongInput::kTruncate;
      } else if (m == "chunk") {
        a->long_input = LongInput::kChunk;
      } else {
        return "--long-input must be one of truncate, chunk";
      }
    } else if (f == "--exit-threshold") {
      char* end = nullptr;
      if (!value(&v) || (a->exit_threshold = std::strtof(v, &end), *end != '\0') ||
          !(a->exit_threshold >= 0)) {
        return "--exit-threshold needs a non-negative number";
      }
    } else if (f == "--exit-patience") {
      if (!value(&v) || !ParseInt(v, &a->exit_patience) || a->exit_patience < 1) {
        return "--exit-patience needs a positive integer";
      }
    } else if (f == "--offsets") {
      if (!value(&v)) return "--offsets needs a value";
      std::string u = v;
      if (u == "codepoint") {
        a->offsets = OffsetUnit::kCodePoint;
      } else if (u == "utf16") {
        a->offsets = OffsetUnit::kUtf16;
      } else if (u == "byte") {
        a->offsets = OffsetUnit::kByte;
      } else {
        return "--offsets must be one of codepoint, utf16, byte";
      }
    } else if (f == "--cased") {
      a->cased = true;
    } else if (f == "--pairs") {
      a->pairs = true;
    } else if (f == "--embeddings") {
      a->embeddings = true;
    } else if (f == "--normalize") {
      a->normalize = true;
    } else {
      return "unknown option '" + f + "'";
    }
  }
  return "";
}

StatusOr<std::vector<std::string>> ReadLines(const std::string& path) {
  std::string data;
  if (path == "-") {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    HB_ASSIGN_OR_RETURN(data, ReadFile(path));
  }
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string::npos) nl = data.size();
    std::string line = data.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF files
    lines.push_back(std::move(line));
    pos = nl + 1;
  }
  return lines;
}

std::vector<TextPair> ToInputs(const std::vector<std::string>& lines, bool pairs) {
  std::vector<TextPair> inputs;
  for (const std::string& l : lines) {
    TextPair p{l, {}, false};
    if (pairs) {
      size_t tab = l.find('\t');
      if (tab != std::string::npos) {
        p.first = std::string_view(l).substr(0, tab);
        p.second = std::string_view(l).substr(tab + 1);
        p.has_second = true;
      }
    }
    inputs.push_back(p);
  }
  return inputs;
}

void WriteEncoding(JsonObjectWriter& w, const Encoding& e, bool with_offsets) {
  w.Field("ids", e.ids);
  w.Field("tokens", e.tokens);
  if (with_offsets) {
    w.Field("type_ids", e.type_ids);
    w.Field("offsets", e.offsets);
  }
}

// models/sst2-demo.hbm beside the executable (written by the build), or "" when absent.
std::string DefaultModelPath() {
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0) return "";
  std::string dir(exe, static_cast<size_t>(n));
  dir = dir.substr(0, dir.find_last_of('/'));
  const std::string path = dir + "/models/sst2-demo.hbm";
  return FileExists(path) ? path : "";
}

int RunCommand(const Args& a) {
  std::string model_path = a.model.empty() ? DefaultModelPath() : a.model;
  if (model_path.empty()) {
    return Fail(
        NotFound("no --model given and the built-in demo model (models/sst2-demo.hbm next to the "
                 "hummingbert executable) is missing; rebuild, or pass --model DIR|FILE.hbm"));
  }
  if (a.input.empty()) return UsageError("run needs --input FILE");
  LoadOptions load;
  load.num_threads = a.threads;
  load.dtype = a.dtype;
  load.int8_activations = a.int8_activations;
  load.limits.max_text_bytes = static_cast<size_t>(a.max_text_bytes);
  load.limits.max_total_tokens = static_cast<size_t>(a.max_total_tokens);
  load.limits.max_batch_size = static_cast<size_t>(a.batch_size);  // the CLI's own batches
  StatusOr<std::unique_ptr<Model>> model = Model::Load(model_path, load);
  if (!model.ok()) return Fail(model.status());
  StatusOr<std::vector<std::string>> lines = ReadLines(a.input);
  if (!lines.ok()) return Fail(lines.status());
  std::vector<TextPair> inputs = ToInputs(*lines, a.pairs);
  const ModelInfo& info = (*model)->info();
  RunOptions options;
  options.max_length = a.max_length;
  options.embeddings = a.embeddings;
  options.normalize = a.normalize;
  options.early_exit = a.early_exit;
  options.exit_threshold = a.exit_threshold;
  options.exit_patience = a.exit_patience;
  options.attention = a.attention;
  options.long_input = a.long_input;
  for (size_t begin = 0; begin < inputs.size(); begin += a.batch_size) {
    size_t end = std::min(inputs.size(), begin + static_cast<size_t>(a.batch_size));
    std::vector<TextPair> batch(inputs.begin() + begin, inputs.begin() + end);
    StatusOr<std::vector<Output>> outs = (*model)->Run(batch, options);
    if (!outs.ok()) {
      return Fail(Status(outs.status().code(),
                         "line " + std::to_string(begin + 1) + "+: " + outs.status().message()));
    }
    for (const Output& o : *outs) {
      JsonObjectWriter w;
      w.Field("ids", o.encoding.ids);
      const size_t labels = info.labels.size();
      if (info.task == "sequence-classification") {
        w.Field("logits", o.logits.data(), o.logits.size());
        w.Field("probs", o.probs.data(), o.probs.size());
        w.Field("label", std::string_view(info.labels[static_cast<size_t>(o.label)]));
        w.Field("exit_layer", o.exit_layer);
        std::string layers = "[";
        for (size_t j = 0; j < o.layer_logits.size(); ++j) {
          JsonObjectWriter lw;
          lw.Field("layer", o.layer_numbers[j]);
          lw.Field("logits", o.layer_logits[j].data(), o.layer_logits[j].size());
          const auto& lg = o.layer_logits[j];
          lw.Field("label", std::string_view(
                                info.labels[std::max_element(lg.begin(), lg.end()) - lg.begin()]));
          layers += (j ? "," : "") + lw.Finish();
        }
        w.Raw("layers", layers + "]");
      } else if (info.task == "token-classification") {
        w.Field("tokens", o.encoding.tokens);
        w.Field("logits", o.logits.data(), o.encoding.size(), labels);
        std::vector<std::string> names;
        for (size_t t = 0; t < o.encoding.size(); ++t) {
          const float* row = o.logits.data() + t * labels;
          names.push_back(info.labels[std::max_element(row, row + labels) - row]);
        }
        w.Field("labels", names);
      }
      w.Field("attention", std::string_view(o.attention));
      if (!o.cls.empty()) {
        w.Field("cls", o.cls.data(), o.cls.size());
        w.Field("mean", o.mean.data(), o.mean.size());
        if (!o.pooler.empty()) w.Field("pooler", o.pooler.data(), o.pooler.size());
      }
      std::string line = w.Finish();
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), stdout);
    }
  }
  return 0;
}

int TokenizeCommand(const Args& a) {
  if (a.model.empty() == a.vocab.empty()) {
    return UsageError("tokenize needs exactly one of --model DIR or --vocab FILE");
  }
  if (a.input.empty()) return UsageError("tokenize needs --input FILE");
  std::unique_ptr<Model> model;
  std::unique_ptr<Tokenizer> tokenizer;
  if (!a.model.empty()) {
    StatusOr<std::unique_ptr<Model>> m = Model::Load(a.model);
    if (!m.ok()) return Fail(m.status());
    model = std::move(m).value();
  } else {
    StatusOr<std::string> vocab = ReadFile(a.vocab);
    if (!vocab.ok()) return Fail(vocab.status());
    StandaloneTokenizerOptions o;
    o.lowercase = !a.cased;
    StatusOr<std::unique_ptr<Tokenizer>> t = Tokenizer::FromVocab(*vocab, o);
    if (!t.ok()) return Fail(t.status());
    tokenizer = std::move(t).value();
  }
  StatusOr<std::vector<std::string>> lines = ReadLines(a.input);
  if (!lines.ok()) return Fail(lines.status());
  TokenizeOptions options;
  options.max_length = a.max_length;
  options.offset_unit = a.offsets;
  options.max_text_bytes = static_cast<size_t>(a.max_text_bytes);
  size_t n = 0;
  for (const TextPair& in : ToInputs(*lines, a.pairs)) {
    ++n;
    StatusOr<Encoding> e =
        model ? (in.has_second ? model->TokenizePair(in.first, in.second, options)
                               : model->Tokenize(in.first, options))
              : (in.has_second ? tokenizer->TokenizePair(in.first, in.second, options)
                               : tokenizer->Tokenize(in.first, options));
    if (!e.ok()) {
      return Fail(
          Status(e.status().code(), "line " + std::to_string(n) + ": " + e.status().message()));
    }
    JsonObjectWriter w;
    WriteEncoding(w, *e, true);
    std::string line = w.Finish();
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--version") == 0)) {
    std::printf("hummingbert 0.1.0\n");
    return 0;
  }
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::printf("%s\nCompression (MODEL: .hbm file or HF folder; OUT: a .hbm model file):\n%s%s%s",
                kUsage, kPruneUsage, kFactorizeUsage, kShareUsage);
    return 0;
  }
  if (argc >= 2 && std::strcmp(argv[1], "convert") == 0) return ConvertCommand(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "prune") == 0) return PruneCommand(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "factorize") == 0) return FactorizeCommand(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "share") == 0) return ShareCommand(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "calibrate-exits") == 0) {
    return CalibrateCommand(argc, argv);
  }
  Args a;
  std::string err = ParseArgs(argc, argv, &a);
  if (!err.empty()) return UsageError(err);
  if (a.command == "run") return RunCommand(a);
  if (a.command == "tokenize") return TokenizeCommand(a);
  return UsageError(
      "unknown command '" + a.command +
      "' (expected run, tokenize, convert, calibrate-exits, prune, factorize or share)");
}

}  // namespace hb::cli

int main(int argc, char** argv) { return hb::cli::Main(argc, argv); }
