// `hummingbert prune`: removes attention heads and FFN neurons (hummingbert_compress.h).
#include <sstream>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "cli/compress_commands.h"
#include "hummingbert_calibrate.h"

namespace hb::cli {

const char kPruneUsage[] =
    "  hummingbert prune MODEL -o OUT.hbm [--heads R] [--ffn R] [--data FILE]\n"
    "                  [--max-examples 512] [--max-length N] [--threads N] [--dtype "
    "int8|fp16|fp32]\n"
    "      Removes the fraction R in [0, 1) of the attention heads / FFN neurons of every layer\n"
    "      (at least one of each kept), least important first: by their activations on the\n"
    "      texts of --data (one per line, or text<TAB>label TSV; labels unused), else by weight\n"
    "      magnitude. The result is a smaller dense model; --dtype defaults to MODEL's.\n";

namespace {

// Texts of --data: a TSV (every non-empty line has a tab: text[<TAB>text_b]<TAB>label, header
// skipped) gives its first column; otherwise one text per line.
StatusOr<std::vector<std::string>> ReadTexts(const std::string& path, int max_examples) {
  HB_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  std::vector<std::string> texts;
  bool all_tabs = true;
  std::istringstream lines(data);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    all_tabs &= line.find('\t') != std::string::npos;
    texts.push_back(std::move(line));
  }
  if (all_tabs && !texts.empty()) {
    HB_ASSIGN_OR_RETURN(std::vector<LabeledText> labeled, ParseLabeledTsv(data));
    texts.clear();
    for (LabeledText& t : labeled) texts.push_back(std::move(t.text));
  }
  if (texts.empty()) return InvalidArgument(path + ": no texts");
  if (max_examples > 0 && texts.size() > static_cast<size_t>(max_examples)) {
    texts.resize(static_cast<size_t>(max_examples));
  }
  return texts;
}

}  // namespace

int PruneCommand(int argc, char** argv) {
  CommonArgs args;
  PruneOptions options;
  std::string data;
  int max_examples = 512;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--heads" || a == "--ffn") {
      double& v = a == "--heads" ? options.heads : options.ffn;
      if (!has_value || !ParseNumber(argv[++i], &v) || !(v >= 0 && v < 1)) {
        return CompressUsage(a + " needs a fraction in [0, 1) (the share removed), got '" +
                                 (has_value ? std::string(argv[i]) : "") + "'",
                             kPruneUsage);
      }
    } else if (a == "--data") {
      if (!has_value) return CompressUsage("--data needs a file of texts", kPruneUsage);
      data = argv[++i];
    } else if (a == "--max-examples" || a == "--max-length" || a == "--threads") {
      int v = 0;
      if (!has_value || !ParseCount(argv[++i], &v) || (a == "--threads" && (v < 1 || v > 256)) ||
          (a == "--max-length" && v < 2)) {
        return CompressUsage(a + " needs " +
                                 (a == "--threads"      ? "an integer in [1, 256]"
                                  : a == "--max-length" ? "an integer >= 2"
                                                        : "an integer >= 0 (0: all)"),
                             kPruneUsage);
      }
      (a == "--max-examples" ? max_examples
       : a == "--max-length" ? options.max_length
                             : options.num_threads) = v;
    } else if (const std::string e = ParseCommonArg(argc, argv, &i, "prune", &args); !e.empty()) {
      return CompressUsage(e, kPruneUsage);
    }
  }
  const std::string error = CheckCommonArgs(args, "prune");
  if (!error.empty()) return CompressUsage(error, kPruneUsage);
  if (options.heads == 0 && options.ffn == 0) {
    return CompressUsage("nothing to prune: give --heads R and/or --ffn R (R in (0, 1))",
                         kPruneUsage);
  }
  options.dtype = args.dtype;
  return FinishCompress(args, "pruned", [&]() -> StatusOr<CompressedModel> {
    if (!data.empty()) {
      HB_ASSIGN_OR_RETURN(options.texts, ReadTexts(data, max_examples));
    }
    return PruneModelPath(args.model, options);
  });
}

}  // namespace hb::cli
