// `hummingbert convert HF_DIR -o MODEL_FILE [--dtype int8|fp16|fp32]`: the native front end of
// hummingbert_convert.h.
#ifndef HB_CLI_CONVERT_COMMAND_H_
#define HB_CLI_CONVERT_COMMAND_H_

namespace hb::cli {

// argv[1] is "convert". Returns the process exit code: 0, 1 (conversion or I/O error, printed
// as "error: ..."), or 2 (usage error).
int ConvertCommand(int argc, char** argv);

// The usage lines of the command, for the CLI's help text.
extern const char kConvertUsage[];

}  // namespace hb::cli

#endif  // HB_CLI_CONVERT_COMMAND_H_
