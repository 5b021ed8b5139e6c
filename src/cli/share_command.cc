// `hummingbert share`: cross-layer parameter sharing (hummingbert_compress.h).
#include <algorithm>
#include <string>

#include "cli/compress_commands.h"

namespace hb::cli {

const char kShareUsage[] =
    "  hummingbert share MODEL -o OUT.hbm --sources S0,S1,... [--dtype int8|fp16|fp32]\n"
    "      Layer i runs the weights of layer S_i (S_i = i keeps its own; S_i < i must keep its\n"
    "      own), stored once, e.g. --sources 0,0,2,2. Pair with recovery fine-tuning.\n";

int ShareCommand(int argc, char** argv) {
  ShareOptions options;  // layer i runs layer sources[i]
  CommonArgs args;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sources") {
      if (i + 1 >= argc) return CompressUsage("--sources needs a list like 0,0,2,2", kShareUsage);
      const std::string list = argv[++i];
      size_t pos = 0;
      while (pos <= list.size()) {
        const size_t comma = std::min(list.find(',', pos), list.size());
        int v = 0;
        if (!ParseCount(list.substr(pos, comma - pos).c_str(), &v)) {
          return CompressUsage("--sources needs comma-separated layer indices, got '" + list + "'",
                               kShareUsage);
        }
        options.sources.push_back(v);
        pos = comma + 1;
      }
    } else if (const std::string e = ParseCommonArg(argc, argv, &i, "share", &args); !e.empty()) {
      return CompressUsage(e, kShareUsage);
    }
  }
  const std::string error = CheckCommonArgs(args, "share");
  if (!error.empty()) return CompressUsage(error, kShareUsage);
  if (options.sources.empty()) return CompressUsage("share needs --sources", kShareUsage);
  options.dtype = args.dtype;
  return FinishCompress(args, "shared", [&] { return ShareLayersModelPath(args.model, options); });
}

}  // namespace hb::cli
