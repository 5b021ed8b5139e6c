// `hummingbert convert`: parses its own arguments (the other commands' flags do not apply),
// converts, writes the file, and prints a one-line summary to stderr.
#include "cli/convert_command.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/file_io.h"
#include "hummingbert_convert.h"

namespace hb::cli {

const char kConvertUsage[] =
    "  hummingbert convert HF_DIR -o MODEL_FILE [--dtype int8|fp16|fp32] [--max-positions N]\n"
    "                      [--attention-window W]\n";

namespace {

int Usage(const std::string& message) {
  std::fprintf(stderr, "error: %s\nusage:\n%s", message.c_str(), kConvertUsage);
  return 2;
}

std::string Megabytes(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

// Writes next to the target and renames, so a failed write never leaves a truncated model.
bool WriteWholeFile(const std::string& path, const std::string& bytes, std::string* error) {
  const Status written = WriteFileAtomically(path, bytes);
  if (!written.ok()) *error = written.message();
  return written.ok();
}

}  // namespace

int ConvertCommand(int argc, char** argv) {
  std::string dir, output;
  ConvertOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-o" || a == "--output") {
      if (i + 1 >= argc) return Usage(a + " needs a value");
      output = argv[++i];
    } else if (a == "--dtype") {
      if (i + 1 >= argc) return Usage("--dtype needs a value: one of int8, fp16, fp32");
      options.dtype = argv[++i];
    } else if (a == "--max-positions" || a == "--attention-window") {
      if (i + 1 >= argc) return Usage(a + " needs a positive integer");
      char* end = nullptr;
      const long v = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || v < 2 || v > (1 << 20)) {
        return Usage(a + " needs an integer in [2, 1048576], got '" + argv[i] + "'");
      }
      (a == "--max-positions" ? options.max_positions : options.attention_window) =
          static_cast<int>(v);
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option '" + a + "'");
    } else if (dir.empty()) {
      dir = a;
    } else {
      return Usage("convert takes one HF_DIR, got '" + dir + "' and '" + a + "'");
    }
  }
  if (dir.empty()) return Usage("convert needs an HF_DIR (a Hugging Face model folder)");
  if (output.empty()) return Usage("convert needs -o MODEL_FILE");
  if (options.dtype != "int8" && options.dtype != "fp16" && options.dtype != "fp32") {
    return Usage("--dtype must be one of int8, fp16, fp32; got '" + options.dtype + "'");
  }
  ConvertSummary summary;
  StatusOr<std::string> file = ConvertHuggingFaceDir(dir, options, &summary);
  if (!file.ok()) {
    std::fprintf(stderr, "error: %s\n", file.status().message().c_str());
    return 1;
  }
  std::string error;
  if (!WriteWholeFile(output, *file, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  const double ratio = summary.input_bytes ? 100.0 * static_cast<double>(summary.output_bytes) /
                                                 static_cast<double>(summary.input_bytes)
                                           : 0.0;
  std::fprintf(stderr, "converted %s (%s) -> %s (%s, %s, %.1f%% of the input%s)\n", dir.c_str(),
               Megabytes(summary.input_bytes).c_str(), output.c_str(),
               Megabytes(summary.output_bytes).c_str(), options.dtype.c_str(), ratio,
               summary.num_exit_heads
                   ? (", " + std::to_string(summary.num_exit_heads) + " exit heads").c_str()
                   : "");
  return 0;
}

}  // namespace hb::cli
