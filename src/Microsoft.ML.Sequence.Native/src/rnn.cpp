// Whole-sequence recurrent kernels (at::lstm, at::gru, at::rnn_tanh, at::rnn_relu) and sequence packing.
#include "shim.h"

using mls::get;
using mls::guarded;
using mls::require_out;
using mls::wrap;

namespace {

struct RecurrentCall {
  at::Tensor input;
  at::Tensor batch_sizes;  // undefined: padded input
  std::vector<at::Tensor> weights;
  bool has_biases;
  int64_t num_layers;
  double dropout;
  bool train;
  bool bidirectional;
  bool batch_first;

  bool packed() const { return batch_sizes.defined(); }

  // A zero initial state shaped [layers x directions, batch, hidden] when the caller gives none.
  at::Tensor zero_state(int64_t hidden) const {
    int64_t batch = packed() ? batch_sizes[0].item<int64_t>() : input.size(batch_first ? 0 : 1);
    return at::zeros({num_layers * (bidirectional ? 2 : 1), batch, hidden}, input.options());
  }
};

RecurrentCall make_call(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* const* weights, int32_t weight_count,
                        int32_t has_biases, int64_t num_layers, double dropout, int32_t train, int32_t bidirectional,
                        int32_t batch_first) {
  RecurrentCall call{get(input, "input"), mls::optional(batch_sizes), {}, has_biases != 0, num_layers,
                     dropout,           train != 0,                   bidirectional != 0, batch_first != 0};
  TORCH_CHECK(num_layers >= 1, "num_layers must be >= 1, got ", num_layers);
  const int64_t per_direction = call.has_biases ? 4 : 2;
  const int64_t expected = num_layers * (call.bidirectional ? 2 : 1) * per_direction;
  TORCH_CHECK(weight_count == expected, "expected ", expected, " weight tensors (", num_layers, " layers x ",
              call.bidirectional ? 2 : 1, " directions x ", per_direction, "), got ", weight_count);
  TORCH_CHECK(weights != nullptr, "weights is null");
  call.weights.reserve(static_cast<size_t>(weight_count));
  for (int32_t i = 0; i < weight_count; ++i) call.weights.push_back(get(weights[i], "weights[i]"));
  const int64_t expected_dim = call.packed() ? 2 : 3;
  TORCH_CHECK(call.input.dim() == expected_dim, call.packed() ? "packed" : "padded", " input must have ", expected_dim,
              " dimensions, got ", call.input.dim(), " (shape ", call.input.sizes(), ")");
  return call;
}

int64_t hidden_size(const RecurrentCall& call) { return call.weights[1].size(1); }

// Shared by GRU, tanh RNN and ReLU RNN, which all take and return one state tensor.
template <class Padded, class Packed>
mls_status single_state(Padded padded, Packed packed, mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0,
                        mls_tensor* const* weights, int32_t weight_count, int32_t has_biases, int64_t num_layers,
                        double dropout, int32_t train, int32_t bidirectional, int32_t batch_first, mls_tensor** output,
                        mls_tensor** h_n) {
  return guarded([&] {
    require_out(output, "output");
    require_out(h_n, "h_n");
    RecurrentCall call = make_call(input, batch_sizes, weights, weight_count, has_biases, num_layers, dropout, train,
                                   bidirectional, batch_first);
    at::Tensor hx = h0 ? h0->value : call.zero_state(hidden_size(call));
    std::tuple<at::Tensor, at::Tensor> result =
        call.packed() ? packed(call.input, call.batch_sizes, hx, call.weights, call.has_biases, call.num_layers,
                               call.dropout, call.train, call.bidirectional)
                      : padded(call.input, hx, call.weights, call.has_biases, call.num_layers, call.dropout, call.train,
                               call.bidirectional, call.batch_first);
    *output = wrap(std::get<0>(result));
    *h_n = wrap(std::get<1>(result));
  });
}

// Function-pointer adapters pick the padded or packed overload of each ATen kernel.
using PaddedFn = std::tuple<at::Tensor, at::Tensor> (*)(const at::Tensor&, const at::Tensor&, at::TensorList, bool,
                                                        int64_t, double, bool, bool, bool);
using PackedFn = std::tuple<at::Tensor, at::Tensor> (*)(const at::Tensor&, const at::Tensor&, const at::Tensor&,
                                                        at::TensorList, bool, int64_t, double, bool, bool);

}  // namespace

extern "C" {

MLS_API mls_status mls_rnn_lstm(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0, mls_tensor* c0,
                                mls_tensor* const* weights, int32_t weight_count, int32_t has_biases,
                                int64_t num_layers, double dropout, int32_t train, int32_t bidirectional,
                                int32_t batch_first, mls_tensor** output, mls_tensor** h_n, mls_tensor** c_n) {
  return guarded([&] {
    require_out(output, "output");
    require_out(h_n, "h_n");
    require_out(c_n, "c_n");
    TORCH_CHECK((h0 == nullptr) == (c0 == nullptr), "LSTM initial state needs both h0 and c0 or neither; got ",
                h0 ? "h0 without c0" : "c0 without h0");
    RecurrentCall call = make_call(input, batch_sizes, weights, weight_count, has_biases, num_layers, dropout, train,
                                   bidirectional, batch_first);
    // LSTM weights are [4H, *]; the hidden size is the recurrent weight's input width.
    const int64_t hidden = hidden_size(call);
    at::Tensor h = h0 ? h0->value : call.zero_state(hidden);
    at::Tensor c = c0 ? c0->value : call.zero_state(hidden);
    std::tuple<at::Tensor, at::Tensor, at::Tensor> result =
        call.packed() ? at::lstm(call.input, call.batch_sizes, {h, c}, call.weights, call.has_biases, call.num_layers,
                                 call.dropout, call.train, call.bidirectional)
                      : at::lstm(call.input, {h, c}, call.weights, call.has_biases, call.num_layers, call.dropout,
                                 call.train, call.bidirectional, call.batch_first);
    *output = wrap(std::get<0>(result));
    *h_n = wrap(std::get<1>(result));
    *c_n = wrap(std::get<2>(result));
  });
}

MLS_API mls_status mls_rnn_gru(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0, mls_tensor* const* weights,
                               int32_t weight_count, int32_t has_biases, int64_t num_layers, double dropout,
                               int32_t train, int32_t bidirectional, int32_t batch_first, mls_tensor** output,
                               mls_tensor** h_n) {
  return single_state(static_cast<PaddedFn>(&at::gru), static_cast<PackedFn>(&at::gru), input, batch_sizes, h0,
                      weights, weight_count, has_biases, num_layers, dropout, train, bidirectional, batch_first, output,
                      h_n);
}

MLS_API mls_status mls_rnn_tanh(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0, mls_tensor* const* weights,
                                int32_t weight_count, int32_t has_biases, int64_t num_layers, double dropout,
                                int32_t train, int32_t bidirectional, int32_t batch_first, mls_tensor** output,
                                mls_tensor** h_n) {
  return single_state(static_cast<PaddedFn>(&at::rnn_tanh), static_cast<PackedFn>(&at::rnn_tanh), input, batch_sizes,
                      h0, weights, weight_count, has_biases, num_layers, dropout, train, bidirectional, batch_first,
                      output, h_n);
}

MLS_API mls_status mls_rnn_relu(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0, mls_tensor* const* weights,
                                int32_t weight_count, int32_t has_biases, int64_t num_layers, double dropout,
                                int32_t train, int32_t bidirectional, int32_t batch_first, mls_tensor** output,
                                mls_tensor** h_n) {
  return single_state(static_cast<PaddedFn>(&at::rnn_relu), static_cast<PackedFn>(&at::rnn_relu), input, batch_sizes,
                      h0, weights, weight_count, has_biases, num_layers, dropout, train, bidirectional, batch_first,
                      output, h_n);
}

MLS_API mls_status mls_rnn_pack_padded(mls_tensor* input, mls_tensor* lengths, int32_t batch_first, mls_tensor** data,
                                       mls_tensor** batch_sizes) {
  return guarded([&] {
    require_out(data, "data");
    require_out(batch_sizes, "batch_sizes");
    const at::Tensor& l = get(lengths, "lengths");
    TORCH_CHECK(l.device().is_cpu() && l.scalar_type() == at::kLong, "lengths must be a CPU int64 tensor, got ",
                l.scalar_type(), " on ", l.device());
    auto result = at::_pack_padded_sequence(get(input, "input"), l, batch_first != 0);
    *data = wrap(std::get<0>(result));
    *batch_sizes = wrap(std::get<1>(result));
  });
}

MLS_API mls_status mls_rnn_pad_packed(mls_tensor* data, mls_tensor* batch_sizes, int32_t batch_first,
                                      double padding_value, int64_t total_length, mls_tensor** output,
                                      mls_tensor** lengths) {
  return guarded([&] {
    require_out(output, "output");
    require_out(lengths, "lengths");
    auto result = at::_pad_packed_sequence(get(data, "data"), get(batch_sizes, "batch_sizes"), batch_first != 0,
                                           padding_value, total_length);
    *output = wrap(std::get<0>(result));
    *lengths = wrap(std::get<1>(result));
  });
}

}  // extern "C"
