// Neural-network ops and losses.
#include "shim.h"

using mls::get;
using mls::guarded;
using mls::require_out;
using mls::wrap;

namespace {
void check_spatial(int32_t spatial_dims) {
  TORCH_CHECK(spatial_dims == 1 || spatial_dims == 2, "spatial_dims must be 1 or 2, got ", spatial_dims);
}
}  // namespace

extern "C" {

MLS_API mls_status mls_nn_linear(mls_tensor* input, mls_tensor* weight, mls_tensor* bias, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::linear(get(input, "input"), get(weight, "weight"), mls::optional(bias)));
  });
}

MLS_API mls_status mls_nn_embedding(mls_tensor* weight, mls_tensor* indices, int64_t padding_index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::embedding(get(weight, "weight"), get(indices, "indices"), padding_index < 0 ? -1 : padding_index));
  });
}

MLS_API mls_status mls_nn_dropout(mls_tensor* input, double p, int32_t train, mls_generator* generator, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    TORCH_CHECK(p >= 0.0 && p < 1.0, "dropout probability must be in [0, 1), got ", p);
    const at::Tensor& x = get(input, "input");
    if (!train || p == 0.0) {
      *out = wrap(x);
      return;
    }
    // at::dropout draws from the global generator; the mask is drawn here from the caller's generator instead.
    at::Tensor mask = at::empty_like(x, at::MemoryFormat::Contiguous).bernoulli_(1.0 - p, mls::generator(generator));
    *out = wrap(x * mask.div_(1.0 - p));
  });
}

MLS_API mls_status mls_nn_layer_norm(mls_tensor* input, const int64_t* normalized_shape, int32_t ndim,
                                     mls_tensor* weight, mls_tensor* bias, double eps, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::layer_norm(get(input, "input"), mls::ints(normalized_shape, ndim, "normalized_shape"),
                               mls::optional(weight), mls::optional(bias), eps));
  });
}

MLS_API mls_status mls_nn_batch_norm(mls_tensor* input, mls_tensor* weight, mls_tensor* bias, mls_tensor* running_mean,
                                     mls_tensor* running_var, int32_t training, double momentum, double eps,
                                     mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::batch_norm(get(input, "input"), mls::optional(weight), mls::optional(bias),
                               mls::optional(running_mean), mls::optional(running_var), training != 0, momentum, eps,
                               /*cudnn_enabled=*/true));
  });
}

MLS_API mls_status mls_nn_conv(mls_tensor* input, mls_tensor* weight, mls_tensor* bias, const int64_t* stride,
                               const int64_t* padding, const int64_t* dilation, int32_t spatial_dims, int64_t groups,
                               mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    check_spatial(spatial_dims);
    auto s = mls::ints(stride, spatial_dims, "stride");
    auto p = mls::ints(padding, spatial_dims, "padding");
    auto d = mls::ints(dilation, spatial_dims, "dilation");
    const at::Tensor& x = get(input, "input");
    const at::Tensor& w = get(weight, "weight");
    at::Tensor b = mls::optional(bias);
    *out = wrap(spatial_dims == 1 ? at::conv1d(x, w, b, s, p, d, groups) : at::conv2d(x, w, b, s, p, d, groups));
  });
}

MLS_API mls_status mls_nn_max_pool(mls_tensor* input, const int64_t* kernel, const int64_t* stride,
                                   const int64_t* padding, const int64_t* dilation, int32_t spatial_dims,
                                   int32_t ceil_mode, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    check_spatial(spatial_dims);
    auto k = mls::ints(kernel, spatial_dims, "kernel");
    auto s = mls::ints(stride, spatial_dims, "stride");
    auto p = mls::ints(padding, spatial_dims, "padding");
    auto d = mls::ints(dilation, spatial_dims, "dilation");
    const at::Tensor& x = get(input, "input");
    *out = wrap(spatial_dims == 1 ? at::max_pool1d(x, k, s, p, d, ceil_mode != 0)
                                  : at::max_pool2d(x, k, s, p, d, ceil_mode != 0));
  });
}

MLS_API mls_status mls_nn_adaptive_avg_pool(mls_tensor* input, const int64_t* output_size, int32_t spatial_dims,
                                            mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    check_spatial(spatial_dims);
    auto size = mls::ints(output_size, spatial_dims, "output_size");
    const at::Tensor& x = get(input, "input");
    *out = wrap(spatial_dims == 1 ? at::adaptive_avg_pool1d(x, size) : at::adaptive_avg_pool2d(x, size));
  });
}

MLS_API mls_status mls_nn_cross_entropy(mls_tensor* input, mls_tensor* target, mls_tensor* weight, int32_t reduction,
                                        int64_t ignore_index, double label_smoothing, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::cross_entropy_loss(get(input, "input"), get(target, "target"), mls::optional(weight),
                                       mls::reduction(reduction), ignore_index, label_smoothing));
  });
}

MLS_API mls_status mls_nn_nll_loss(mls_tensor* input, mls_tensor* target, mls_tensor* weight, int32_t reduction,
                                   int64_t ignore_index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::nll_loss(get(input, "input"), get(target, "target"), mls::optional(weight),
                             mls::reduction(reduction), ignore_index));
  });
}

MLS_API mls_status mls_nn_ctc_loss(mls_tensor* log_probs, mls_tensor* targets, mls_tensor* input_lengths,
                                   mls_tensor* target_lengths, int64_t blank, int32_t reduction, int32_t zero_infinity,
                                   mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::ctc_loss(get(log_probs, "log_probs"), get(targets, "targets"), get(input_lengths, "input_lengths"),
                             get(target_lengths, "target_lengths"), blank, mls::reduction(reduction),
                             zero_infinity != 0));
  });
}

MLS_API mls_status mls_nn_mse_loss(mls_tensor* input, mls_tensor* target, int32_t reduction, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::mse_loss(get(input, "input"), get(target, "target"), mls::reduction(reduction)));
  });
}

MLS_API mls_status mls_nn_bce_with_logits(mls_tensor* input, mls_tensor* target, mls_tensor* pos_weight,
                                          int32_t reduction, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::binary_cross_entropy_with_logits(get(input, "input"), get(target, "target"), at::Tensor(),
                                                     mls::optional(pos_weight), mls::reduction(reduction)));
  });
}

}  // extern "C"
