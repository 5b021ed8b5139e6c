// `hummingbert factorize`: low-rank factorization of the encoder Linears and the word
// embeddings (hummingbert_compress.h).
#include <string>

#include "cli/compress_commands.h"

namespace hb::cli {

const char kFactorizeUsage[] =
    "  hummingbert factorize MODEL -o OUT.hbm (--rank R | --energy E) [--embedding-rank E]\n"
    "                  [--dtype int8|fp16|fp32]\n"
    "      Truncated SVD of every encoder Linear W [out x in] into two thinner ones (in -> r ->\n"
    "      out), only where r (in + out) < in x out; --rank fixes r, --energy E in (0, 1] keeps\n"
    "      that share of sum(s^2) per Linear. --embedding-rank E factorizes the word embeddings\n"
    "      (ALBERT style: vocab x E table + E -> hidden projection). Per-Linear relative errors\n"
    "      and skipped Linears go to stdout as JSON.\n";

int FactorizeCommand(int argc, char** argv) {
  CommonArgs args;
  FactorizeOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--rank" || a == "--embedding-rank") {
      int& v = a == "--rank" ? options.rank : options.embedding_rank;
      if (!has_value || !ParseCount(argv[++i], &v) || v < 1) {
        return CompressUsage(a + " needs an integer >= 1", kFactorizeUsage);
      }
    } else if (a == "--energy") {
      if (!has_value || !ParseNumber(argv[++i], &options.energy) ||
          !(options.energy > 0 && options.energy <= 1)) {
        return CompressUsage("--energy needs a number in (0, 1]", kFactorizeUsage);
      }
    } else if (const std::string e = ParseCommonArg(argc, argv, &i, "factorize", &args);
               !e.empty()) {
      return CompressUsage(e, kFactorizeUsage);
    }
  }
  const std::string error = CheckCommonArgs(args, "factorize");
  if (!error.empty()) return CompressUsage(error, kFactorizeUsage);
  if (options.rank > 0 && options.energy > 0) {
    return CompressUsage("give either --rank or --energy, not both", kFactorizeUsage);
  }
  if (options.rank == 0 && options.energy == 0 && options.embedding_rank == 0) {
    return CompressUsage("factorize needs --rank R, --energy E or --embedding-rank E",
                         kFactorizeUsage);
  }
  options.dtype = args.dtype;
  return FinishCompress(args, "factorized",
                        [&] { return FactorizeModelPath(args.model, options); });
}

}  // namespace hb::cli
