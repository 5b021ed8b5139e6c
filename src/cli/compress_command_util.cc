// What `prune`, `factorize` and `share` have in common: MODEL / -o / --dtype, number parsing,
// writing the result and the summary line.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/file_io.h"
#include "cli/compress_commands.h"

namespace hb::cli {

int CompressUsage(const std::string& message, const char* usage) {
  std::fprintf(stderr, "error: %s\nusage:\n%s", message.c_str(), usage);
  return 2;
}

bool ParseNumber(const char* s, double* out) {
  char* end = nullptr;
  const double v = std::strtod(s, &end);
  const bool ok = end != s && *end == '\0' && std::isfinite(v);  // no "1x", inf or nan
  if (ok) *out = v;
  return ok;
}

bool ParseCount(const char* s, int* out) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(s, &end, 10);
  if (end == s || *end != '\0' || errno != 0 || v < 0 || v > (1 << 30)) return false;
  *out = static_cast<int>(v);
  return true;
}

std::string ParseCommonArg(int argc, char** argv, int* i, const char* command, CommonArgs* args) {
  const std::string a = argv[*i];
  if (a == "-o" || a == "--output" || a == "--dtype") {
    if (*i + 1 >= argc) return a + " needs a value";
    const std::string v = argv[++*i];
    if (a == "--dtype" && v != "int8" && v != "fp16" && v != "fp32") {
      return "--dtype must be one of int8, fp16, fp32; got '" + v + "'";
    }
    (a == "--dtype" ? args->dtype : args->output) = v;
    return "";
  }
  if (!a.empty() && a[0] == '-') return "unknown option '" + a + "'";
  if (!args->model.empty()) {
    return std::string(command) + " takes one MODEL, got '" + args->model + "' and '" + a + "'";
  }
  args->model = a;
  return "";
}

std::string CheckCommonArgs(const CommonArgs& args, const char* command) {
  if (args.model.empty()) return std::string(command) + " needs a MODEL (.hbm file or HF folder)";
  if (args.output.empty()) return std::string(command) + " needs -o OUT.hbm";
  return "";
}

int FinishCompress(const CommonArgs& args, const char* verb,
                   const std::function<StatusOr<CompressedModel>()>& run) {
  StatusOr<CompressedModel> result = run();
  if (!result.ok()) {
    std::fprintf(stderr, "error: %s\n", result.status().message().c_str());
    return 1;
  }
  const Status written = WriteFileAtomically(args.output, result->model_file);
  if (!written.ok()) {
    std::fprintf(stderr, "error: %s\n", written.message().c_str());
    return 1;
  }
  std::fwrite(result->report_json.data(), 1, result->report_json.size(), stdout);
  const double ratio = result->input_parameters
                           ? 100.0 * static_cast<double>(result->output_parameters) /
                                 static_cast<double>(result->input_parameters)
                           : 0.0;
  std::fprintf(stderr, "%s %s -> %s (%s, %.2f MB): %lld -> %lld weights (%.1f%%)\n", verb,
               args.model.c_str(), args.output.c_str(), result->dtype.c_str(),
               static_cast<double>(result->model_file.size()) / 1e6,
               static_cast<long long>(result->input_parameters),
               static_cast<long long>(result->output_parameters), ratio);
  return 0;
}

}  // namespace hb::cli
