// The incremental model file reader (design in model_file_stream.h): a small state machine over
// the container (length, header, data); what the bytes mean is model_file.cc's business
// (PlanModelFileTensors, CompleteTensor).
#include "format/model_file_stream.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

namespace hb {
namespace {

constexpr uint64_t kHeaderReserve = uint64_t{1} << 20;

}  // namespace

ModelFileStreamReader::ModelFileStreamReader() = default;
ModelFileStreamReader::~ModelFileStreamReader() = default;

Status ModelFileStreamReader::Fail(const Status& s) {
  error_ = Status(s.code(), "model file: " + s.message());
  state_ = State::kFailed;
  // Free what was allocated for the weights now, not when the owner gets around to it.
  std::vector<TensorDestination>().swap(plan_);
  contents_.reset();
  tensors_.reset();
  header_ = std::string();
  return error_;
}

Status ModelFileStreamReader::Append(const uint8_t* data, size_t size) {
  if (state_ == State::kFailed) return error_;
  if (state_ == State::kFinished) {
    return InvalidArgument("model file: Append after Finish (the model was already read)");
  }
  if (data == nullptr && size != 0) return Fail(InvalidArgument("null data with a non-zero size"));
  try {
    Status s = AppendImpl(data, size);
    if (!s.ok()) return Fail(s);
    return s;
  } catch (const std::bad_alloc&) {
    return Fail(ResourceExhausted("out of memory reading the model file"));
  } catch (const std::exception& e) {
    return Fail(Internal(std::string("unexpected exception reading the model file: ") + e.what()));
  }
}

Status ModelFileStreamReader::AppendImpl(const uint8_t* data, size_t size) {
  received_ += size;
  if (state_ == State::kLength) {
    const size_t have = static_cast<size_t>(received_ - size);  // < 8 while in this state
    const size_t take = std::min(size, 8 - have);
    if (take) std::memcpy(length_bytes_ + have, data, take);
    data += take;
    size -= take;
    if (have + take < 8) return Status::Ok();
    // Checked as for a file that holds the whole header: only the size limit can fail here (a
    // truncation is reported by Finish, with the real byte count). Unlike a whole-file read,
    // that cannot tell a huge header from a file that is not safetensors at all (its first 8
    // bytes read as a length), so this is kInvalidModel, at once rather than after the download.
    uint64_t header_size = 0;
    for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | length_bytes_[i];
    const uint64_t whole_header = header_size > UINT64_MAX - 8 ? UINT64_MAX : 8 + header_size;
    const Status length =
        SafetensorsReader::CheckHeaderLength(length_bytes_, whole_header, &header_size_);
    if (!length.ok()) {
      return InvalidModel(length.message() +
                          " (not a model file, or a corrupt one: its first 8 bytes are the "
                          "header length)");
    }
    // Grown as bytes arrive: a short hostile file must not make us reserve the claimed size.
    header_.reserve(static_cast<size_t>(std::min<uint64_t>(header_size_, kHeaderReserve)));
    state_ = State::kHeader;
  }
  if (state_ == State::kHeader) {
    const size_t take =
        static_cast<size_t>(std::min<uint64_t>(size, header_size_ - header_.size()));
    header_.append(reinterpret_cast<const char*>(data), take);
    data += take;
    size -= take;
    if (header_.size() < header_size_) return Status::Ok();
    HB_RETURN_IF_ERROR(StartData());
  }
  return Route(data, size);
}

Status ModelFileStreamReader::StartData() {
  HB_ASSIGN_OR_RETURN(SafetensorsReader reader, SafetensorsReader::ParseHeader(header_));
  header_ = std::string();
  tensors_.emplace(std::move(reader));
  contents_ = std::make_unique<ModelFileContents>();
  HB_RETURN_IF_ERROR(PlanModelFileTensors(*tensors_, contents_.get(), &plan_));
  state_ = State::kData;
  return Status::Ok();
}

// Writes data-section bytes [data_received_, data_received_ + size) to their destinations and
// completes the tensors they finish.
Status ModelFileStreamReader::Route(const uint8_t* data, size_t size) {
  const uint64_t data_size = tensors_->data_size();
  if (size > data_size - data_received_) {
    return InvalidModel("the file goes on after its last tensor, which ends at byte " +
                        std::to_string(8 + header_size_ + data_size) + " (" +
                        std::to_string(size - (data_size - data_received_)) +
                        " unexpected bytes so far: trailing garbage, or a header that lies " +
                        "about the tensors)");
  }
  const uint64_t lo = data_received_, hi = lo + size;
  // Tensors in file order: overlaps were rejected with the header, so each byte of the data
  // section belongs to at most one destination.
  const std::vector<size_t>& order = tensors_->file_order();
  for (; next_ < order.size(); ++next_) {
    const TensorDestination& d = plan_[order[next_]];
    if (d.tensor == nullptr) continue;  // not ours to keep: `_pad.N`, unknown tensors
    const uint64_t from = std::max(d.begin, lo), to = std::min(d.end, hi);
    if (to > from) {
      std::memcpy(d.bytes + (from - d.begin), data + (from - lo), static_cast<size_t>(to - from));
    }
    if (d.end > hi) break;  // more of this tensor in a later chunk
    HB_RETURN_IF_ERROR(CompleteTensor(d));
  }
  data_received_ = hi;
  return Status::Ok();
}

StatusOr<ModelFileContents> ModelFileStreamReader::Finish() {
  if (state_ == State::kFailed) return error_;
  if (state_ == State::kFinished) {
    return InvalidArgument("model file: Finish called twice (the model was already read)");
  }
  Status truncated;
  switch (state_) {
    case State::kLength:
    case State::kHeader: {
      uint64_t header_size = 0;
      truncated = SafetensorsReader::CheckHeaderLength(length_bytes_, received_, &header_size);
      if (truncated.ok()) truncated = Internal("incomplete header without a truncation");
      break;
    }
    case State::kData:
      truncated = tensors_->CheckDataSize(data_received_);
      break;
    default:
      break;
  }
  if (!truncated.ok()) return Fail(truncated);
  // Completes empty tensors at the very end, if any (no bytes move, nothing allocates).
  if (Status s = Route(nullptr, 0); !s.ok()) return Fail(s);
  if (next_ != tensors_->file_order().size()) {
    return Fail(Internal("model file tensors left incomplete"));
  }
  state_ = State::kFinished;
  ModelFileContents out = std::move(*contents_);
  std::vector<TensorDestination>().swap(plan_);
  contents_.reset();
  tensors_.reset();
  return out;
}

}  // namespace hb
