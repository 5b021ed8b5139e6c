// Weight quantization for the model file and for int8 inference: symmetric per-output-channel
// int8 for encoder dense layers, per-row int8 word embeddings, and fp16 rounding. The same
// functions serve `hummingbert convert` and load-time quantization of an HF folder, so a
// converted file holds exactly the weights direct quantization produces.
#ifndef HB_QUANT_QUANTIZE_WEIGHTS_H_
#define HB_QUANT_QUANTIZE_WEIGHTS_H_

#include "base/status.h"
#include "format/model_file.h"
#include "model/bert_weights.h"

namespace hb {

// w [out x in] fp32 -> w_q + w_scale, then w is cleared (both factors of a low-rank layer). The rule is QuantizeRowsInt8's
// (kernels/int8_kernels.h), the one QuantizePackWeightsInt8 uses: scale_j = max|W_j| / 127,
// q = round-half-even(W * (127 / max|W_j|)) in [-127, 127]; an all-zero row gets scale 0.
// Already-quantized weights are left as they are.
void QuantizeLinearInt8(LinearWeights& linear);

// word_embeddings [vocab x hidden] -> word_embeddings_q + one scale per row (same rule), then the
// fp32 table is cleared. No-op if already quantized.
void QuantizeEmbeddingsInt8(BertWeights& weights);

// Rounds every value to the nearest fp16 (ties to even), keeping fp32 storage.
void RoundToHalfInPlace(std::vector<float>& values);

// Turns fp32 weights into exactly what a model file of `dtype` stores, so that
// ReadModelFile(WriteModelFile(w)) == w bit for bit after this:
//  kFp32: nothing.
//  kFp16: encoder dense weights and the embedding tables rounded to fp16 values.
//  kInt8: encoder dense weights (QKV, attention output, FFN in and out) QuantizeLinearInt8, word
//         embeddings QuantizeEmbeddingsInt8, position / token-type embeddings rounded to fp16.
// Always kept fp32: LayerNorm, biases, the pooler, pre_classifier, classifier and exit heads.
// Heads are a few hundred KB against tens of MB of encoder, and their errors land directly on
// the logits (and on early-exit decisions), so int8 there buys little size for most accuracy.
// Errors: kInvalidArgument when a weight's size does not match its out x in (naming the layer).
Status QuantizeModel(BertWeights& weights, ModelDtype dtype);

// The inverse for editing weights (prune, factorize): int8 encoder Linears and word embeddings
// back to fp32 (scale * q, exact in fp32 up to one rounding). fp32 weights are left as they are.
void DequantizeModel(BertWeights& weights);

}  // namespace hb

#endif  // HB_QUANT_QUANTIZE_WEIGHTS_H_
