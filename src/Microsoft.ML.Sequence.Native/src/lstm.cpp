// A whole-sequence LSTM kernel whose backward pass computes the weight gradients with one matrix product over all
// steps (dW_hh = dGatesᵀ · H_prev, dW_ih = dGatesᵀ · X) instead of one product per step plus an accumulation of a
// [4H, H] gradient per step, which is what autograd through ATen's CPU LSTM does. The forward pass is the same
// computation as at::lstm (input projections precomputed, one product per step); the gates are stored for backward.
// It works on packed data, so padded batches are the special case "every batch size equals B".
#include "shim.h"

#include <torch/csrc/autograd/custom_function.h>

using mls::get;
using mls::guarded;
using mls::require_out;
using mls::wrap;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

struct StepLayout {
  std::vector<int64_t> sizes;    // active rows at each step (descending)
  std::vector<int64_t> offsets;  // first packed row of each step
};

StepLayout layout_of(const std::vector<int64_t>& batch_sizes) {
  StepLayout l{batch_sizes, std::vector<int64_t>(batch_sizes.size())};
  int64_t offset = 0;
  for (size_t t = 0; t < batch_sizes.size(); ++t) {
    l.offsets[t] = offset;
    offset += batch_sizes[t];
  }
  return l;
}

// One layer, one direction; without biases b_ih and b_hh are empty tensors (autograd functions cannot take
// undefined inputs). reverse = read each sequence from its last step to its first (rows are sorted by
// descending length, so walking the packed steps backwards starts every row at its own last step).
struct LstmDirection : public torch::autograd::Function<LstmDirection> {
  static variable_list forward(AutogradContext* ctx, at::Tensor x, at::Tensor w_ih, at::Tensor w_hh, at::Tensor b_ih,
                               at::Tensor b_hh, at::Tensor h0, at::Tensor c0, std::vector<int64_t> batch_sizes,
                               bool reverse) {
    const StepLayout l = layout_of(batch_sizes);
    const int64_t steps = static_cast<int64_t>(l.sizes.size());
    const int64_t hidden = w_hh.size(1);
    const int64_t total = x.size(0);
    const bool has_bias = b_ih.numel() > 0;
    at::Tensor gates = has_bias ? at::addmm(b_ih + b_hh, x, w_ih.t()) : at::mm(x, w_ih.t());
    at::Tensor cells = at::empty({total, hidden}, x.options());
    at::Tensor h_prev = at::empty({total, hidden}, x.options());
    at::Tensor c_prev = at::empty({total, hidden}, x.options());
    at::Tensor y = at::empty({total, hidden}, x.options());
    at::Tensor h = h0.clone();
    at::Tensor c = c0.clone();
    const at::Tensor w_hh_t = w_hh.t();
    for (int64_t k = 0; k < steps; ++k) {
      const int64_t t = reverse ? steps - 1 - k : k;
      const int64_t b = l.sizes[t], off = l.offsets[t];
      at::Tensor hb = h.narrow(0, 0, b), cb = c.narrow(0, 0, b);
      h_prev.narrow(0, off, b).copy_(hb);
      c_prev.narrow(0, off, b).copy_(cb);
      at::Tensor g = gates.narrow(0, off, b);
      g.addmm_(hb, w_hh_t);
      std::vector<at::Tensor> gate = g.chunk(4, 1);  // i, f, g, o
      gate[0].sigmoid_();
      gate[1].sigmoid_();
      gate[2].tanh_();
      gate[3].sigmoid_();
      at::Tensor cn = cells.narrow(0, off, b);
      at::mul_out(cn, gate[1], cb);
      cn.addcmul_(gate[0], gate[2]);
      at::Tensor yn = y.narrow(0, off, b);
      at::tanh_out(yn, cn);
      yn.mul_(gate[3]);
      hb.copy_(yn);
      cb.copy_(cn);
    }
    ctx->save_for_backward({x, w_ih, w_hh, gates, cells, h_prev, c_prev});
    ctx->saved_data["batch_sizes"] = batch_sizes;
    ctx->saved_data["reverse"] = reverse;
    ctx->saved_data["has_bias"] = has_bias;
    return {y, h, c};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &w_ih = saved[1], &w_hh = saved[2], &gates = saved[3], &cells = saved[4],
                     &h_prev = saved[5], &c_prev = saved[6];
    const StepLayout l = layout_of(ctx->saved_data["batch_sizes"].toIntVector());
    const bool reverse = ctx->saved_data["reverse"].toBool();
    const bool has_bias = ctx->saved_data["has_bias"].toBool();
    const int64_t steps = static_cast<int64_t>(l.sizes.size());
    const int64_t batch = l.sizes.empty() ? 0 : l.sizes[0];
    const int64_t hidden = w_hh.size(1);
    const at::Tensor& dy = grads[0];
    at::Tensor dh = grads[1].defined() ? grads[1].clone() : at::zeros({batch, hidden}, x.options());
    at::Tensor dc = grads[2].defined() ? grads[2].clone() : at::zeros({batch, hidden}, x.options());
    at::Tensor dgates = at::empty_like(gates);
    // Walk the steps in the opposite order of the forward pass.
    for (int64_t k = steps - 1; k >= 0; --k) {
      const int64_t t = reverse ? steps - 1 - k : k;
      const int64_t b = l.sizes[t], off = l.offsets[t];
      at::Tensor dhb = dh.narrow(0, 0, b), dcb = dc.narrow(0, 0, b);
      if (dy.defined()) dhb.add_(dy.narrow(0, off, b));
      std::vector<at::Tensor> gate = gates.narrow(0, off, b).chunk(4, 1);
      std::vector<at::Tensor> dgate = dgates.narrow(0, off, b).chunk(4, 1);
      const at::Tensor &i = gate[0], &f = gate[1], &g = gate[2], &o = gate[3];
      at::Tensor tanh_c = cells.narrow(0, off, b).tanh();
      // dc_t = dc + dh ⊙ o ⊙ (1 − tanh²c)
      at::Tensor dct = dcb + dhb * o * (1 - tanh_c * tanh_c);
      at::mul_out(dgate[3], dhb * tanh_c, o * (1 - o));        // o
      at::mul_out(dgate[0], dct * g, i * (1 - i));              // i
      at::mul_out(dgate[2], dct * i, 1 - g * g);                // g
      at::mul_out(dgate[1], dct * c_prev.narrow(0, off, b), f * (1 - f));  // f
      at::mul_out(dcb, dct, f);
      at::mm_out(dhb, dgates.narrow(0, off, b), w_hh);
    }
    at::Tensor dx = at::mm(dgates, w_ih);
    at::Tensor dw_ih = at::mm(dgates.t(), x);
    at::Tensor dw_hh = at::mm(dgates.t(), h_prev);
    at::Tensor db = has_bias ? dgates.sum(0) : at::Tensor();
    return {dx, dw_ih, dw_hh, db, has_bias ? db.clone() : at::Tensor(), dh, dc, at::Tensor(), at::Tensor()};
  }
};

std::vector<int64_t> batch_sizes_of(const at::Tensor& sizes) {
  TORCH_CHECK(sizes.device().is_cpu() && sizes.scalar_type() == at::kLong && sizes.dim() == 1,
              "batch_sizes must be a 1-D CPU int64 tensor, got ", sizes.scalar_type(), " on ", sizes.device());
  const at::Tensor c = sizes.contiguous();
  std::vector<int64_t> values(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
  for (size_t t = 1; t < values.size(); ++t) {
    TORCH_CHECK(values[t] <= values[t - 1] && values[t] > 0, "batch_sizes must be positive and non-increasing");
  }
  return values;
}

}  // namespace

extern "C" {

MLS_API mls_status mls_rnn_lstm_sequence_gemm(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0, mls_tensor* c0,
                                              mls_tensor* const* weights, int32_t weight_count, int32_t has_biases,
                                              int64_t num_layers, int32_t bidirectional, int32_t batch_first,
                                              mls_tensor** output, mls_tensor** h_n, mls_tensor** c_n) {
  return guarded([&] {
    require_out(output, "output");
    require_out(h_n, "h_n");
    require_out(c_n, "c_n");
    TORCH_CHECK((h0 == nullptr) == (c0 == nullptr), "LSTM initial state needs both h0 and c0 or neither; got ",
                h0 ? "h0 without c0" : "c0 without h0");
    TORCH_CHECK(num_layers >= 1, "num_layers must be >= 1, got ", num_layers);
    const int64_t directions = bidirectional ? 2 : 1;
    const int64_t per_direction = has_biases ? 4 : 2;
    TORCH_CHECK(weight_count == num_layers * directions * per_direction, "expected ", num_layers * directions * per_direction,
                " weight tensors (", num_layers, " layers x ", directions, " directions x ", per_direction, "), got ",
                weight_count);
    TORCH_CHECK(weights != nullptr, "weights is null");
    const at::Tensor& in = get(input, "input");
    const bool packed = batch_sizes != nullptr;
    at::Tensor x;
    std::vector<int64_t> sizes;
    if (packed) {
      TORCH_CHECK(in.dim() == 2, "packed input must have 2 dimensions, got shape ", in.sizes());
      sizes = batch_sizes_of(batch_sizes->value);
      x = in;
    } else {
      TORCH_CHECK(in.dim() == 3, "padded input must have 3 dimensions, got shape ", in.sizes());
      at::Tensor time_major = batch_first ? in.transpose(0, 1) : in;
      sizes.assign(static_cast<size_t>(time_major.size(0)), time_major.size(1));
      x = time_major.contiguous().view({-1, time_major.size(2)});
    }
    const int64_t batch = sizes.empty() ? 0 : sizes[0];
    const int64_t hidden = get(weights[1], "weights[1]").size(1);
    at::Tensor zeros = at::zeros({batch, hidden}, x.options());
    const at::Tensor no_bias = at::empty({0}, x.options());
    std::vector<at::Tensor> finals_h, finals_c;
    for (int64_t layer = 0; layer < num_layers; ++layer) {
      std::vector<at::Tensor> outputs;
      for (int64_t direction = 0; direction < directions; ++direction) {
        const int64_t index = layer * directions + direction;
        mls_tensor* const* w = weights + index * per_direction;
        at::Tensor h = h0 ? h0->value.select(0, index) : zeros;
        at::Tensor c = c0 ? c0->value.select(0, index) : zeros;
        variable_list result = LstmDirection::apply(x, get(w[0], "w_ih"), get(w[1], "w_hh"),
                                                    has_biases ? get(w[2], "b_ih") : no_bias,
                                                    has_biases ? get(w[3], "b_hh") : no_bias, h, c, sizes,
                                                    direction == 1);
        outputs.push_back(result[0]);
        finals_h.push_back(result[1]);
        finals_c.push_back(result[2]);
      }
      x = directions == 2 ? at::cat(outputs, 1) : outputs[0];
    }
    at::Tensor out = x;
    if (!packed) {
      const at::Tensor time_major = in.dim() == 3 && batch_first ? in.transpose(0, 1) : in;
      out = x.view({time_major.size(0), time_major.size(1), x.size(1)});
      if (batch_first) out = out.transpose(0, 1);
    }
    *output = wrap(out);
    *h_n = wrap(at::stack(finals_h, 0));
    *c_n = wrap(at::stack(finals_c, 0));
  });
}

}  // extern "C"
