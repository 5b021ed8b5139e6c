// Low-rank factorization of Linear layers and of the word embeddings (hummingbert_compress.h).
#ifndef HB_COMPRESS_FACTORIZE_H_
#define HB_COMPRESS_FACTORIZE_H_

#include "compress/svd.h"
#include "model/bert_weights.h"

namespace hb {

// Replaces the dense fp32 `linear` [out x in] by its rank-r truncated SVD: down [r x in] without
// bias, then w [out x r] with the bias. `svd` must be ComputeSvd(out, in, linear.w).
void FactorizeLinear(const Svd& svd, int rank, LinearWeights& linear);

// Factorizes the fp32 word embeddings [vocab x hidden] to rank e (ALBERT style): the table
// becomes [vocab x e] and weights.word_projection [hidden x e] (zero bias) maps a row back;
// config.embedding_size = e. `svd` must be ComputeSvd(vocab, hidden, word_embeddings).
void FactorizeEmbeddings(const Svd& svd, int e, BertWeights& weights);

}  // namespace hb

#endif  // HB_COMPRESS_FACTORIZE_H_
