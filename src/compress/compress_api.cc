// hummingbert_compress.h: option checks, the per-layer loops of prune / factorize / share, and
// their JSON reports. The matrix work is in pruning, importance, svd and factorize.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "base/thread_pool.h"
#include "compress/editable_model.h"
#include "compress/factorize.h"
#include "compress/importance.h"
#include "compress/layer_sharing.h"
#include "compress/pruning.h"
#include "compress/svd.h"
#include "hummingbert_compress.h"

namespace hb {
namespace {

std::string Num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", x);
  return buf;
}

std::string IntList(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// Writes the model and fills the common fields; `body` is the report's operation-specific part
// (lines of "  \"key\": value" joined by ",\n").
StatusOr<CompressedModel> Finish(EditableModel& model, const std::string& dtype,
                                 int64_t input_parameters, const std::string& operation,
                                 const std::string& body) {
  CompressedModel out;
  out.input_parameters = input_parameters;
  out.output_parameters = CountParameters(model.weights);
  HB_ASSIGN_OR_RETURN(out.model_file, SaveModelFile(model, dtype, &out.dtype));
  out.report_json = "{\n  \"operation\": \"" + operation + "\",\n" + body +
                    ",\n  \"parameters_before\": " + std::to_string(out.input_parameters) +
                    ",\n  \"parameters_after\": " + std::to_string(out.output_parameters) +
                    ",\n  \"dtype\": \"" + out.dtype +
                    "\",\n  \"bytes\": " + std::to_string(out.model_file.size()) + "\n}\n";
  return out;
}

Status CheckDtype(const std::string& dtype) {
  if (dtype.empty()) return Status::Ok();
  return ParseModelDtype(dtype).status();
}

// ------------------------------------------------------------------------ prune

Status CheckPruneOptions(const PruneOptions& o) {
  for (const auto& [name, value] : {std::pair<const char*, double>{"heads", o.heads},
                                    std::pair<const char*, double>{"ffn", o.ffn}}) {
    if (!(value >= 0 && value < 1)) {
      return InvalidArgument(std::string(name) + " must be a fraction in [0, 1) (the share " +
                             "removed), got " + Num(value));
    }
  }
  if (o.num_threads < 1) return InvalidArgument("num_threads must be at least 1");
  if (o.max_length != 0 && o.max_length < 2) {
    return InvalidArgument("max_length must be 0 (the model's) or >= 2");
  }
  return CheckDtype(o.dtype);
}

StatusOr<std::vector<Encoding>> Tokenize(const EditableModel& m, const PruneOptions& o) {
  HB_ASSIGN_OR_RETURN(std::unique_ptr<BertTokenizer> tokenizer,
                      BertTokenizer::Create(m.vocab_txt, m.settings));
  EncodeOptions eo;
  eo.max_length = std::min(m.settings.model_max_length, m.weights.config.max_position_embeddings);
  if (o.max_length > 0) eo.max_length = std::min(eo.max_length, o.max_length);
  std::vector<Encoding> out;
  out.reserve(o.texts.size());
  for (size_t i = 0; i < o.texts.size(); ++i) {
    StatusOr<Encoding> e = tokenizer->Encode(o.texts[i], eo);
    if (!e.ok()) {
      return Status(e.status().code(),
                    "text " + std::to_string(i + 1) + ": " + e.status().message());
    }
    out.push_back(std::move(e).value());
  }
  return out;
}

StatusOr<CompressedModel> Prune(EditableModel m, const PruneOptions& o) {
  HB_RETURN_IF_ERROR(CheckPruneOptions(o));
  BertWeights& w = m.weights;
  const BertConfig& c = w.config;
  for (int i = 0; i < c.num_layers; ++i) {
    const EncoderLayerWeights& l = w.layers[static_cast<size_t>(i)];
    if (c.LayerSource(i) == i && (l.qkv.low_rank() || l.attention_output.low_rank() ||
                                  l.ffn_in.low_rank() || l.ffn_out.low_rank())) {
      return Unsupported("layer " + std::to_string(i) +
                         " is factorized; prune first, then factorize");
    }
  }
  const int64_t before = CountParameters(w);
  std::vector<LayerImportance> scores;
  size_t tokens = 0;
  if (o.texts.empty()) {
    scores = WeightImportance(w);
  } else {
    HB_ASSIGN_OR_RETURN(std::vector<Encoding> encodings, Tokenize(m, o));
    for (const Encoding& e : encodings) tokens += e.ids.size();
    ThreadPool pool(o.num_threads);
    HB_ASSIGN_OR_RETURN(scores, ActivationImportance(w, encodings, &pool));
  }
  std::string layers;
  for (int i = 0; i < c.num_layers; ++i) {
    const int heads = c.LayerHeads(i), ffn = c.LayerIntermediate(i);
    std::vector<int> kept_heads;
    if (c.LayerSource(i) == i) {
      const LayerImportance& s = scores[static_cast<size_t>(i)];
      kept_heads = TopIndices(s.heads, heads - CountToRemove(o.heads, heads));
      if (kept_heads.size() < static_cast<size_t>(heads)) {
        HB_RETURN_IF_ERROR(PruneHeads(w, i, kept_heads));
      }
      const std::vector<int> kept = TopIndices(s.neurons, ffn - CountToRemove(o.ffn, ffn));
      if (kept.size() < static_cast<size_t>(ffn)) HB_RETURN_IF_ERROR(PruneNeurons(w, i, kept));
    }
    layers += std::string(i ? ",\n" : "") + "    {\"layer\": " + std::to_string(i) +
              (c.LayerSource(i) != i ? ", \"shared_with\": " + std::to_string(c.LayerSource(i))
                                     : ", \"kept_heads\": " + IntList(kept_heads)) +
              ", \"heads\": [" + std::to_string(heads) + ", " + std::to_string(c.LayerHeads(i)) +
              "], \"ffn\": [" + std::to_string(ffn) + ", " +
              std::to_string(c.LayerIntermediate(i)) + "]}";
  }
  const std::string body =
      "  \"criterion\": \"" + std::string(o.texts.empty() ? "weight" : "activation") +
      "\",\n  \"texts\": " + std::to_string(o.texts.size()) +
      ",\n  \"tokens\": " + std::to_string(tokens) + ",\n  \"heads_removed\": " + Num(o.heads) +
      ",\n  \"ffn_removed\": " + Num(o.ffn) + ",\n  \"layers\": [\n" + layers + "\n  ]";
  return Finish(m, o.dtype, before, "prune", body);
}

// ------------------------------------------------------------------------ factorize

// The largest min(out, in) over the encoder Linears: a rank above it fits nowhere.
int LargestRankPossible(const BertWeights& w) {
  int best = 0;
  for (int i = 0; i < w.config.num_layers; ++i) {
    if (w.config.LayerSource(i) != i) continue;
    const EncoderLayerWeights& l = w.layers[static_cast<size_t>(i)];
    for (const LinearWeights* lin : {&l.qkv, &l.attention_output, &l.ffn_in, &l.ffn_out}) {
      best = std::max(best, std::min(lin->out, lin->in));
    }
  }
  return best;
}

Status CheckFactorizeOptions(const FactorizeOptions& o, const BertWeights& w) {
  if (o.rank < 0) return InvalidArgument("rank must be positive, got " + std::to_string(o.rank));
  if (o.rank > 0 && o.energy != 0) return InvalidArgument("give either rank or energy, not both");
  if (o.energy != 0 && !(o.energy > 0 && o.energy <= 1)) {
    return InvalidArgument("energy must be in (0, 1] (the share of sum(s^2) kept), got " +
                           Num(o.energy));
  }
  if (o.rank == 0 && o.energy == 0 && o.embedding_rank == 0) {
    return InvalidArgument(
        "nothing to factorize: give a rank (> 0), an energy in (0, 1] or an "
        "embedding rank (> 0)");
  }
  const int largest = LargestRankPossible(w);
  if (o.rank > largest) {
    return InvalidArgument("rank " + std::to_string(o.rank) +
                           " is larger than min(out, in) of every encoder Linear (at most " +
                           std::to_string(largest) + ")");
  }
  const BertConfig& c = w.config;
  const int max_e = std::min(c.vocab_size, c.hidden_size);
  if (o.embedding_rank < 0 || o.embedding_rank > max_e) {
    return InvalidArgument("embedding rank must be in [1, " + std::to_string(max_e) +
                           "] (min(vocab, hidden)), got " + std::to_string(o.embedding_rank));
  }
  if (o.embedding_rank > 0 && c.embedding_size > 0) {
    return Unsupported("the word embeddings are already factorized (embedding size " +
                       std::to_string(c.embedding_size) + ")");
  }
  return CheckDtype(o.dtype);
}

// One Linear: picks the rank, factorizes where it saves, and returns its report line.
std::string FactorizeOne(const FactorizeOptions& o, int layer, LayerLinear which,
                         LinearWeights& lin, BertConfig& c) {
  std::string line = "    {\"layer\": " + std::to_string(layer) + ", \"linear\": \"" +
                     LayerLinearName(which) + "\", \"shape\": [" + std::to_string(lin.out) + ", " +
                     std::to_string(lin.in) + "]";
  if (lin.low_rank()) return line + ", \"applied\": false, \"reason\": \"already factorized\"}";
  const Svd svd = ComputeSvd(lin.out, lin.in, lin.w.data());
  const int rank = o.rank > 0 ? o.rank : RankForEnergy(svd, o.energy);
  line += ", \"rank\": " + std::to_string(rank);
  const int64_t dense = int64_t{lin.out} * lin.in, factored = int64_t{rank} * (lin.out + lin.in);
  if (factored >= dense) {
    return line + ", \"applied\": false, \"reason\": \"no saving: rank x (out + in) = " +
           std::to_string(factored) + " >= out x in = " + std::to_string(dense) + "\"}";
  }
  line += ", \"applied\": true, \"relative_error\": " + Num(TruncationError(svd, rank)) + "}";
  FactorizeLinear(svd, rank, lin);
  MutableLayerConfig(c, layer).ranks[static_cast<int>(which)] = rank;
  return line;
}

StatusOr<CompressedModel> Factorize(EditableModel m, const FactorizeOptions& o) {
  BertWeights& w = m.weights;
  HB_RETURN_IF_ERROR(CheckFactorizeOptions(o, w));
  BertConfig& c = w.config;
  const int64_t before = CountParameters(w);
  std::string body;
  if (o.rank > 0 || o.energy > 0) {
    std::string lines;
    for (int i = 0; i < c.num_layers; ++i) {
      if (c.LayerSource(i) != i) continue;
      EncoderLayerWeights& l = w.layers[static_cast<size_t>(i)];
      LinearWeights* linears[kNumLayerLinears] = {&l.qkv, &l.attention_output, &l.ffn_in,
                                                  &l.ffn_out};
      for (int k = 0; k < kNumLayerLinears; ++k) {
        lines += (lines.empty() ? "" : ",\n") + FactorizeOne(o, i, LayerLinear(k), *linears[k], c);
      }
    }
    body +=
        (o.rank > 0 ? "  \"rank\": " + std::to_string(o.rank) : "  \"energy\": " + Num(o.energy)) +
        ",\n  \"linears\": [\n" + lines + "\n  ]";
  }
  if (o.embedding_rank > 0) {
    const int e = o.embedding_rank, v = c.vocab_size, h = c.hidden_size;
    std::string line = "  \"embeddings\": {\"shape\": [" + std::to_string(v) + ", " +
                       std::to_string(h) + "], \"rank\": " + std::to_string(e);
    if (int64_t{e} * (v + h) >= int64_t{v} * h) {
      line += ", \"applied\": false, \"reason\": \"no saving at this rank\"}";
    } else {
      const Svd svd = ComputeSvd(v, h, w.word_embeddings.data());
      line += ", \"applied\": true, \"relative_error\": " + Num(TruncationError(svd, e)) + "}";
      FactorizeEmbeddings(svd, e, w);
    }
    body += (body.empty() ? "" : ",\n") + line;
  }
  return Finish(m, o.dtype, before, "factorize", body);
}

// ------------------------------------------------------------------------ share

StatusOr<CompressedModel> Share(EditableModel m, const ShareOptions& o) {
  HB_RETURN_IF_ERROR(CheckDtype(o.dtype));
  const int64_t before = CountParameters(m.weights);
  HB_RETURN_IF_ERROR(ShareLayers(m.weights, o.sources));
  return Finish(m, o.dtype, before, "share", "  \"sources\": " + IntList(o.sources));
}

// Runs `op` on a model opened by `open`, turning out-of-memory into a Status.
template <typename Open, typename Op>
StatusOr<CompressedModel> Run(Open open, Op op, const char* what) {
  try {
    HB_ASSIGN_OR_RETURN(EditableModel m, open());
    return op(std::move(m));
  } catch (const std::bad_alloc&) {
    return ResourceExhausted(std::string("out of memory while ") + what);
  }
}

}  // namespace

StatusOr<CompressedModel> PruneModelFile(std::string_view model_file, const PruneOptions& options) {
  return Run([&] { return OpenModelFile(model_file); },
             [&](EditableModel m) { return Prune(std::move(m), options); }, "pruning");
}

StatusOr<CompressedModel> FactorizeModelFile(std::string_view model_file,
                                             const FactorizeOptions& options) {
  return Run([&] { return OpenModelFile(model_file); },
             [&](EditableModel m) { return Factorize(std::move(m), options); }, "factorizing");
}

StatusOr<CompressedModel> ShareLayersModelFile(std::string_view model_file,
                                               const ShareOptions& options) {
  return Run([&] { return OpenModelFile(model_file); },
             [&](EditableModel m) { return Share(std::move(m), options); }, "sharing layers");
}

StatusOr<CompressedModel> PruneModelPath(const std::string& path, const PruneOptions& options) {
  HB_RETURN_IF_ERROR(CheckPruneOptions(options));  // before reading hundreds of MB
  return Run([&] { return OpenModelPath(path); },
             [&](EditableModel m) { return Prune(std::move(m), options); }, "pruning");
}

StatusOr<CompressedModel> FactorizeModelPath(const std::string& path,
                                             const FactorizeOptions& options) {
  return Run([&] { return OpenModelPath(path); },
             [&](EditableModel m) { return Factorize(std::move(m), options); }, "factorizing");
}

StatusOr<CompressedModel> ShareLayersModelPath(const std::string& path,
                                               const ShareOptions& options) {
  return Run([&] { return OpenModelPath(path); },
             [&](EditableModel m) { return Share(std::move(m), options); }, "sharing layers");
}

}  // namespace hb
