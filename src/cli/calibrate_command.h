// `hummingbert calibrate-exits MODEL --data labeled.tsv -o OUT [...]`: the native front end of
// hummingbert_calibrate.h.
#ifndef HB_CLI_CALIBRATE_COMMAND_H_
#define HB_CLI_CALIBRATE_COMMAND_H_

namespace hb::cli {

// argv[1] is "calibrate-exits". Returns the process exit code: 0, 1 (calibration or I/O error,
// printed as "error: ..."), or 2 (usage error).
int CalibrateCommand(int argc, char** argv);

// The usage lines of the command, for the CLI's help text.
extern const char kCalibrateUsage[];

}  // namespace hb::cli

#endif  // HB_CLI_CALIBRATE_COMMAND_H_
