// `hummingbert prune`, `hummingbert factorize` and `hummingbert share`: the native front ends of
// hummingbert_compress.h. Each reads a model file or HF folder and writes a model file.
#ifndef HB_CLI_COMPRESS_COMMANDS_H_
#define HB_CLI_COMPRESS_COMMANDS_H_

#include <functional>
#include <string>

#include "hummingbert_compress.h"

namespace hb::cli {

// argv[1] is the command. Return the process exit code: 0, 1 (model or I/O error, printed as
// "error: ..."), or 2 (usage error).
int PruneCommand(int argc, char** argv);
int FactorizeCommand(int argc, char** argv);
int ShareCommand(int argc, char** argv);

// The usage lines of the commands, for the CLI's help text.
extern const char kPruneUsage[];
extern const char kFactorizeUsage[];
extern const char kShareUsage[];

// --- shared by the three commands (compress_command_util.cc)

// Prints "error: message" and the usage, returns 2.
int CompressUsage(const std::string& message, const char* usage);
// Parses a number / a non-negative integer; false when `s` is not one.
bool ParseNumber(const char* s, double* out);
bool ParseCount(const char* s, int* out);
// The arguments every command takes: MODEL, -o OUT, --dtype. Takes argv[*i] as one of them
// (advancing *i past a value); returns an error message, "" when fine.
struct CommonArgs {
  std::string model, output, dtype;
};
std::string ParseCommonArg(int argc, char** argv, int* i, const char* command, CommonArgs* args);
// Checks MODEL and -o were given; "" when fine.
std::string CheckCommonArgs(const CommonArgs& args, const char* command);
// Runs the operation, writes OUT, prints the report (stdout) and a summary (stderr).
int FinishCompress(const CommonArgs& args, const char* verb,
                   const std::function<StatusOr<CompressedModel>()>& run);

}  // namespace hb::cli

#endif  // HB_CLI_COMPRESS_COMMANDS_H_
