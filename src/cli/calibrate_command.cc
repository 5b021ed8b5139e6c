// `hummingbert calibrate-exits`: parses its own arguments, calibrates, writes the model (an HF
// folder with exit_config.json + exit_heads.safetensors, or a .hbm model file), prints the report
// as JSON on stdout and a short summary on stderr.
#include "cli/calibrate_command.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "base/file_io.h"
#include "hummingbert_calibrate.h"

namespace hb::cli {

const char kCalibrateUsage[] =
    "  hummingbert calibrate-exits MODEL --data LABELED.tsv -o OUT [--max-drop 0.01]\n"
    "                  [--rule entropy|max-prob|patience] [--holdout 0.3] [--l2 0.01]\n"
    "                  [--max-examples N] [--max-length N] [--seed N] [--threads N]\n"
    "                  [--dtype int8|fp16|fp32] [--no-timing]\n"
    "      Fits exit heads on a fine-tuned sequence classifier (MODEL: HF folder or .hbm).\n"
    "      LABELED.tsv: text<TAB>label per line (label id or name; a 'label' header is skipped).\n"
    "      OUT: a folder (copy of MODEL + exit heads) or NAME.hbm (--dtype for HF input,\n"
    "      default int8). The report goes to stdout as JSON.\n";

namespace {

namespace fs = std::filesystem;

int Usage(const std::string& message) {
  std::fprintf(stderr, "error: %s\nusage:\n%s", message.c_str(), kCalibrateUsage);
  return 2;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

bool ParseDouble(const char* s, double* out) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s, &end);
  if (end == s || *end != '\0' || errno != 0 || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool ParseNonNegative(const char* s, long long max, long long* out) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s, &end, 10);
  if (end == s || *end != '\0' || errno != 0 || v < 0 || v > max) return false;
  *out = v;
  return true;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Writes next to the target and renames, so a failed write never leaves a truncated file.
bool WriteWholeFile(const std::string& path, const std::string& bytes, std::string* error) {
  const Status written = WriteFileAtomically(path, bytes);
  if (!written.ok()) *error = written.message();
  return written.ok();
}

// OUT as a folder: a copy of the input folder's files (any old exit heads left out) plus the
// new exit heads.
bool WriteFolder(const std::string& in, const std::string& out, const CalibratedModel& m,
                 std::string* error) {
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    *error = "cannot create folder '" + out + "': " + ec.message();
    return false;
  }
  const bool same = fs::equivalent(in, out, ec);
  if (!same) {
    for (const fs::directory_entry& e : fs::directory_iterator(in, ec)) {
      if (!e.is_regular_file()) continue;
      const std::string name = e.path().filename().string();
      if (name == "exit_config.json" || name == "exit_heads.safetensors") continue;
      fs::copy_file(e.path(), fs::path(out) / name, fs::copy_options::overwrite_existing, ec);
      if (ec) {
        *error = "cannot copy '" + e.path().string() + "' to '" + out + "': " + ec.message();
        return false;
      }
    }
    if (ec) {
      *error = "cannot list '" + in + "': " + ec.message();
      return false;
    }
  }
  return WriteWholeFile(JoinPath(out, "exit_config.json"), m.exit_config_json, error) &&
         WriteWholeFile(JoinPath(out, "exit_heads.safetensors"), m.exit_heads_safetensors, error);
}

}  // namespace

int CalibrateCommand(int argc, char** argv) {
  std::string model, data_path, output, rule = "entropy", dtype;
  CalibrateOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = nullptr;
    auto value = [&]() -> bool {
      if (i + 1 >= argc) return false;
      v = argv[++i];
      return true;
    };
    long long n = 0;
    if (a == "-o" || a == "--output") {
      if (!value()) return Usage(a + " needs a value");
      output = v;
    } else if (a == "--data") {
      if (!value()) return Usage("--data needs a file (text<TAB>label per line)");
      data_path = v;
    } else if (a == "--rule") {
      if (!value()) return Usage("--rule needs a value: one of entropy, max-prob, patience");
      rule = v;
    } else if (a == "--max-drop") {
      if (!value() || !ParseDouble(v, &options.max_drop) || options.max_drop < 0 ||
          options.max_drop > 1) {
        return Usage("--max-drop needs a number in [0, 1] (0.01 = one point of accuracy)");
      }
    } else if (a == "--holdout") {
      if (!value() || !ParseDouble(v, &options.holdout) || !(options.holdout > 0) ||
          !(options.holdout < 1)) {
        return Usage("--holdout needs a number in (0, 1)");
      }
    } else if (a == "--l2") {
      if (!value() || !ParseDouble(v, &options.l2) || options.l2 < 0) {
        return Usage("--l2 needs a number >= 0");
      }
    } else if (a == "--max-examples") {
      if (!value() || !ParseNonNegative(v, 1 << 30, &n)) {
        return Usage("--max-examples needs an integer >= 0 (0: all)");
      }
      options.max_examples = static_cast<int>(n);
    } else if (a == "--max-length") {
      if (!value() || !ParseNonNegative(v, 1 << 20, &n) || n < 2) {
        return Usage("--max-length needs an integer >= 2");
      }
      options.max_length = static_cast<int>(n);
    } else if (a == "--seed") {
      if (!value() || !ParseNonNegative(v, (1ll << 62), &n)) {
        return Usage("--seed needs a non-negative integer");
      }
      options.seed = static_cast<uint64_t>(n);
    } else if (a == "--threads") {
      if (!value() || !ParseNonNegative(v, 256, &n) || n < 1) {
        return Usage("--threads needs an integer in [1, 256]");
      }
      options.num_threads = static_cast<int>(n);
    } else if (a == "--dtype") {
      if (!value()) return Usage("--dtype needs a value: one of int8, fp16, fp32");
      dtype = v;
    } else if (a == "--no-timing") {
      options.measure_speed = false;
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option '" + a + "'");
    } else if (model.empty()) {
      model = a;
    } else {
      return Usage("calibrate-exits takes one MODEL, got '" + model + "' and '" + a + "'");
    }
  }
  if (model.empty()) return Usage("calibrate-exits needs a MODEL (HF folder or .hbm file)");
  if (data_path.empty()) return Usage("calibrate-exits needs --data LABELED.tsv");
  if (output.empty()) return Usage("calibrate-exits needs -o OUT (a folder or NAME.hbm)");
  if (rule == "entropy") {
    options.rule = EarlyExit::kEntropy;
  } else if (rule == "max-prob" || rule == "max_prob") {
    options.rule = EarlyExit::kMaxProb;
  } else if (rule == "patience") {
    options.rule = EarlyExit::kPatience;
  } else {
    return Usage("--rule must be one of entropy, max-prob, patience; got '" + rule + "'");
  }
  if (!dtype.empty() && dtype != "int8" && dtype != "fp16" && dtype != "fp32") {
    return Usage("--dtype must be one of int8, fp16, fp32; got '" + dtype + "'");
  }
  const bool model_is_file = FileExists(model);
  const bool out_is_file = EndsWith(output, ".hbm");
  if (!out_is_file && model_is_file) {
    return Usage("a model file input gives a model file: use -o NAME.hbm");
  }
  if (!out_is_file && !dtype.empty()) {
    return Usage("--dtype applies to a .hbm output only");
  }
  if (out_is_file && !model_is_file) options.model_file_dtype = dtype.empty() ? "int8" : dtype;
  if (out_is_file && model_is_file) options.model_file_dtype = dtype;

  StatusOr<std::string> tsv = ReadFile(data_path);
  if (!tsv.ok()) return Fail(tsv.status().message());
  StatusOr<std::vector<LabeledText>> data = ParseLabeledTsv(*tsv);
  if (!data.ok()) return Fail(data_path + ": " + data.status().message());
  StatusOr<CalibratedModel> result = CalibrateExitsFromPath(model, *data, options);
  if (!result.ok()) return Fail(result.status().message());

  std::string error;
  const bool written = out_is_file ? WriteWholeFile(output, result->model_file, &error)
                                   : WriteFolder(model, output, *result, &error);
  if (!written) return Fail(error);

  const CalibrationReport& r = result->report;
  std::string report = CalibrationReportToJson(r, true);
  report += '\n';
  std::fwrite(report.data(), 1, report.size(), stdout);
  std::fprintf(stderr, "calibrated %d exit heads on %d examples (%d held out):\n",
               r.num_layers - 1, r.num_train, r.num_heldout);
  for (const ExitHeadReport& h : r.heads) {
    std::fprintf(stderr, "  layer %d: held-out accuracy %.4f%s\n", h.layer, h.heldout_accuracy,
                 h.train_accuracy < 0 ? " (final classifier)" : "");
  }
  const std::string setting = r.rule == "patience" ? "k = " + std::to_string(r.patience)
                                                   : "threshold " + std::to_string(r.threshold);
  std::fprintf(stderr,
               "rule %s, %s: held-out accuracy %.4f (full depth %.4f, drop %.4f, max %.4f%s), "
               "%.3f of %d layers on average (%.2fx fewer layer evaluations)\n",
               r.rule.c_str(), setting.c_str(), r.accuracy, r.full_depth_accuracy,
               r.accuracy_drop, r.max_drop, r.within_max_drop ? "" : ", NOT met",
               r.average_layers, r.num_layers, r.expected_speedup);
  if (r.timed) {
    std::fprintf(stderr,
                 "encoder wall clock per text: batch 1 %.3f -> %.3f ms (%.2fx), batch 32 "
                 "%.3f -> %.3f ms (%.2fx)\n",
                 r.full_ms_batch1, r.exit_ms_batch1, r.speedup_batch1, r.full_ms_batch32,
                 r.exit_ms_batch32, r.speedup_batch32);
  }
  std::fprintf(stderr, "wrote %s\n", output.c_str());
  return 0;
}

}  // namespace hb::cli
