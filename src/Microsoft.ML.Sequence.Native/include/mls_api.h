/*
 * Flat C ABI of the Microsoft.ML.Sequence native shim over libtorch (ATen).
 *
 * Rules (STYLE.md N1-N5):
 *  - Every export returns mls_status (0 = ok) and writes results to out-parameters.
 *  - On failure the message (libtorch's what_without_backtrace()) is kept in a thread-local slot read by
 *    mls_last_error() on the same thread, right after the failing call. Nothing throws across the ABI.
 *  - A null out-handle with status ok means "undefined tensor" (e.g. no gradient yet), never failure.
 *  - Arguments marked "nullable" may be NULL; every other handle must be valid.
 *  - Handles are owned by the caller and freed with the matching mls_<kind>_free.
 *  - The shim holds no model logic: ops, fused kernels, autograd, RNG, threads, devices.
 *
 * Enumerations:
 *  - dtype: libtorch's ScalarType codes: 0 uint8, 3 int32, 4 int64, 6 float32, 7 float64, 11 bool.
 *  - device_type: 0 CPU, 1 CUDA (libtorch's DeviceType codes).
 *  - reduction: 0 none, 1 mean, 2 sum.
 *  - op codes of mls_tensor_unary/binary/reduce: see the mls_*_op enums below.
 */
#ifndef MLS_API_H
#define MLS_API_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MLS_BUILDING)
#define MLS_API __attribute__((visibility("default")))
#else
#define MLS_API
#endif

typedef int32_t mls_status;
#define MLS_OK 0
#define MLS_ERROR 1

typedef struct mls_tensor mls_tensor;
typedef struct mls_generator mls_generator;

typedef enum {
  MLS_UNARY_NEG = 0, MLS_UNARY_ABS = 1, MLS_UNARY_EXP = 2, MLS_UNARY_LOG = 3, MLS_UNARY_LOG1P = 4,
  MLS_UNARY_SQRT = 5, MLS_UNARY_RSQRT = 6, MLS_UNARY_SIN = 7, MLS_UNARY_COS = 8, MLS_UNARY_TANH = 9,
  MLS_UNARY_SIGMOID = 10, MLS_UNARY_RELU = 11, MLS_UNARY_GELU = 12, MLS_UNARY_SILU = 13, MLS_UNARY_SIGN = 14,
  MLS_UNARY_FLOOR = 15, MLS_UNARY_CEIL = 16, MLS_UNARY_ROUND = 17, MLS_UNARY_RECIPROCAL = 18,
  MLS_UNARY_SQUARE = 19, MLS_UNARY_LOGICAL_NOT = 20, MLS_UNARY_ERF = 21, MLS_UNARY_ISNAN = 22,
  MLS_UNARY_SOFTPLUS = 23, MLS_UNARY_ISFINITE = 24
} mls_unary_op;

typedef enum {
  MLS_BINARY_ADD = 0, MLS_BINARY_SUB = 1, MLS_BINARY_MUL = 2, MLS_BINARY_DIV = 3, MLS_BINARY_POW = 4,
  MLS_BINARY_MAXIMUM = 5, MLS_BINARY_MINIMUM = 6, MLS_BINARY_EQ = 7, MLS_BINARY_NE = 8, MLS_BINARY_LT = 9,
  MLS_BINARY_LE = 10, MLS_BINARY_GT = 11, MLS_BINARY_GE = 12, MLS_BINARY_LOGICAL_AND = 13,
  MLS_BINARY_LOGICAL_OR = 14, MLS_BINARY_REMAINDER = 15
} mls_binary_op;

typedef enum {
  MLS_REDUCE_SUM = 0, MLS_REDUCE_MEAN = 1, MLS_REDUCE_MAX = 2, MLS_REDUCE_MIN = 3, MLS_REDUCE_PROD = 4,
  MLS_REDUCE_LOGSUMEXP = 5, MLS_REDUCE_NORM2 = 6, MLS_REDUCE_STD = 7, MLS_REDUCE_VAR = 8
} mls_reduce_op;

/* ---- runtime: errors, counters, threads, devices, seeds, grad mode (guard.cpp) ---- */
MLS_API const char* mls_last_error(void);
MLS_API int64_t mls_live_tensor_count(void);
/* intra_op: libtorch's intra-op pool; blas: OpenBLAS threads (ignored with *blas_applied = 0 when OpenBLAS is absent). */
MLS_API mls_status mls_threads_set(int32_t intra_op, int32_t blas, int32_t* blas_applied);
MLS_API mls_status mls_threads_get(int32_t* intra_op, int32_t* blas);
MLS_API mls_status mls_cuda_is_available(int32_t* available);
MLS_API mls_status mls_cuda_device_count(int32_t* count);
MLS_API mls_status mls_random_manual_seed(uint64_t seed);
/* Grad mode is per native thread in libtorch; the managed side reconciles it with its async-local scope. */
MLS_API mls_status mls_autograd_set_enabled(int32_t enabled);
MLS_API mls_status mls_autograd_is_enabled(int32_t* enabled);

/* ---- generators (tensor.cpp) ---- */
MLS_API mls_status mls_generator_new(int32_t device_type, int32_t device_index, uint64_t seed, mls_generator** out);
MLS_API mls_status mls_generator_free(mls_generator* generator);
MLS_API mls_status mls_generator_set_seed(mls_generator* generator, uint64_t seed);
MLS_API mls_status mls_generator_get_state(mls_generator* generator, mls_tensor** state);
MLS_API mls_status mls_generator_set_state(mls_generator* generator, mls_tensor* state);

/* ---- tensors: creation, data, metadata, autograd (tensor.cpp) ---- */
MLS_API mls_status mls_tensor_free(mls_tensor* tensor);
MLS_API mls_status mls_tensor_from_data(const void* data, int64_t byte_count, int32_t dtype, const int64_t* shape,
                                        int32_t ndim, int32_t device_type, int32_t device_index, mls_tensor** out);
/* Copies the elements (any device, any layout) to dst as a dense row-major buffer of exactly byte_count bytes. */
MLS_API mls_status mls_tensor_copy_to(mls_tensor* tensor, void* dst, int64_t byte_count);
MLS_API mls_status mls_tensor_ndim(mls_tensor* tensor, int32_t* ndim);
MLS_API mls_status mls_tensor_shape(mls_tensor* tensor, int64_t* shape, int32_t capacity);
MLS_API mls_status mls_tensor_dtype(mls_tensor* tensor, int32_t* dtype);
MLS_API mls_status mls_tensor_device(mls_tensor* tensor, int32_t* device_type, int32_t* device_index);
/* A tensor filled with value (zeros, ones, full). */
MLS_API mls_status mls_tensor_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype,
                                   int32_t device_type, int32_t device_index, mls_tensor** out);
MLS_API mls_status mls_tensor_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                                     int32_t device_index, mls_tensor** out);
MLS_API mls_status mls_tensor_eye(int64_t n, int32_t dtype, int32_t device_type, int32_t device_index, mls_tensor** out);
/* distribution: 0 uniform [0,1), 1 standard normal. generator nullable (then libtorch's global one). */
MLS_API mls_status mls_tensor_random(int32_t distribution, const int64_t* shape, int32_t ndim, int32_t dtype,
                                     int32_t device_type, int32_t device_index, mls_generator* generator,
                                     mls_tensor** out);
MLS_API mls_status mls_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim,
                                      int32_t device_type, int32_t device_index, mls_generator* generator,
                                      mls_tensor** out);
MLS_API mls_status mls_tensor_randperm(int64_t n, int32_t device_type, int32_t device_index, mls_generator* generator,
                                       mls_tensor** out);
/* Draws 0/1 with probability `probabilities` per element (same shape and dtype). generator nullable. */
MLS_API mls_status mls_tensor_bernoulli(mls_tensor* probabilities, mls_generator* generator, mls_tensor** out);
MLS_API mls_status mls_tensor_to_dtype(mls_tensor* tensor, int32_t dtype, mls_tensor** out);
MLS_API mls_status mls_tensor_to_device(mls_tensor* tensor, int32_t device_type, int32_t device_index, mls_tensor** out);
MLS_API mls_status mls_tensor_clone(mls_tensor* tensor, mls_tensor** out);
MLS_API mls_status mls_tensor_detach(mls_tensor* tensor, mls_tensor** out);
MLS_API mls_status mls_tensor_contiguous(mls_tensor* tensor, mls_tensor** out);
MLS_API mls_status mls_tensor_requires_grad(mls_tensor* tensor, int32_t* requires_grad);
MLS_API mls_status mls_tensor_set_requires_grad(mls_tensor* tensor, int32_t requires_grad);
/* grad: null out with ok status when no gradient has been accumulated. */
MLS_API mls_status mls_tensor_grad(mls_tensor* tensor, mls_tensor** grad);
/* grad nullable: null clears the gradient. */
MLS_API mls_status mls_tensor_set_grad(mls_tensor* tensor, mls_tensor* grad);
/* gradient nullable (then the tensor must hold one element). */
MLS_API mls_status mls_tensor_backward(mls_tensor* tensor, mls_tensor* gradient, int32_t retain_graph);

/* ---- elementwise, shape and reduction ops (ops.cpp) ---- */
MLS_API mls_status mls_tensor_unary(int32_t op, mls_tensor* input, mls_tensor** out);
MLS_API mls_status mls_tensor_binary(int32_t op, mls_tensor* left, mls_tensor* right, mls_tensor** out);
MLS_API mls_status mls_tensor_binary_scalar(int32_t op, mls_tensor* left, double right, mls_tensor** out);
/* In place: left = left op (alpha * right); alpha is used by ADD and SUB only. */
MLS_API mls_status mls_tensor_binary_(int32_t op, mls_tensor* left, mls_tensor* right, double alpha);
MLS_API mls_status mls_tensor_binary_scalar_(int32_t op, mls_tensor* left, double right);
MLS_API mls_status mls_tensor_copy_(mls_tensor* destination, mls_tensor* source);
MLS_API mls_status mls_tensor_fill_(mls_tensor* tensor, double value);
/* tensor += value * t1 * t2 and tensor += value * t1 / t2, in place. */
MLS_API mls_status mls_tensor_addcmul_(mls_tensor* tensor, mls_tensor* t1, mls_tensor* t2, double value);
MLS_API mls_status mls_tensor_addcdiv_(mls_tensor* tensor, mls_tensor* t1, mls_tensor* t2, double value);
/* dims may be empty (dim_count 0): reduce over every dimension. */
MLS_API mls_status mls_tensor_reduce(int32_t op, mls_tensor* input, const int64_t* dims, int32_t dim_count,
                                     int32_t keepdim, mls_tensor** out);
/* which: 0 argmax, 1 argmin. has_dim 0: over the flattened tensor. */
MLS_API mls_status mls_tensor_arg_reduce(int32_t which, mls_tensor* input, int64_t dim, int32_t has_dim,
                                         int32_t keepdim, mls_tensor** out);
MLS_API mls_status mls_tensor_topk(mls_tensor* input, int64_t k, int64_t dim, int32_t largest, int32_t sorted,
                                   mls_tensor** values, mls_tensor** indices);
MLS_API mls_status mls_tensor_sort(mls_tensor* input, int64_t dim, int32_t descending, int32_t stable,
                                   mls_tensor** values, mls_tensor** indices);
MLS_API mls_status mls_tensor_softmax(mls_tensor* input, int64_t dim, mls_tensor** out);
MLS_API mls_status mls_tensor_log_softmax(mls_tensor* input, int64_t dim, mls_tensor** out);
MLS_API mls_status mls_tensor_matmul(mls_tensor* left, mls_tensor* right, mls_tensor** out);
MLS_API mls_status mls_tensor_clamp(mls_tensor* input, double min, int32_t has_min, double max, int32_t has_max,
                                    mls_tensor** out);
MLS_API mls_status mls_tensor_where(mls_tensor* condition, mls_tensor* left, mls_tensor* right, mls_tensor** out);
MLS_API mls_status mls_tensor_masked_fill(mls_tensor* input, mls_tensor* mask, double value, mls_tensor** out);
/* which: 0 cat, 1 stack. */
MLS_API mls_status mls_tensor_join(int32_t which, mls_tensor* const* tensors, int32_t count, int64_t dim,
                                   mls_tensor** out);
MLS_API mls_status mls_tensor_index_select(mls_tensor* input, int64_t dim, mls_tensor* index, mls_tensor** out);
MLS_API mls_status mls_tensor_gather(mls_tensor* input, int64_t dim, mls_tensor* index, mls_tensor** out);
MLS_API mls_status mls_tensor_scatter_add(mls_tensor* input, int64_t dim, mls_tensor* index, mls_tensor* source,
                                          mls_tensor** out);
MLS_API mls_status mls_tensor_narrow(mls_tensor* input, int64_t dim, int64_t start, int64_t length, mls_tensor** out);
MLS_API mls_status mls_tensor_select(mls_tensor* input, int64_t dim, int64_t index, mls_tensor** out);
MLS_API mls_status mls_tensor_reshape(mls_tensor* input, const int64_t* shape, int32_t ndim, mls_tensor** out);
MLS_API mls_status mls_tensor_view(mls_tensor* input, const int64_t* shape, int32_t ndim, mls_tensor** out);
MLS_API mls_status mls_tensor_expand(mls_tensor* input, const int64_t* shape, int32_t ndim, mls_tensor** out);
MLS_API mls_status mls_tensor_repeat(mls_tensor* input, const int64_t* repeats, int32_t ndim, mls_tensor** out);
MLS_API mls_status mls_tensor_permute(mls_tensor* input, const int64_t* dims, int32_t ndim, mls_tensor** out);
MLS_API mls_status mls_tensor_flip(mls_tensor* input, const int64_t* dims, int32_t ndim, mls_tensor** out);
MLS_API mls_status mls_tensor_transpose(mls_tensor* input, int64_t dim0, int64_t dim1, mls_tensor** out);
MLS_API mls_status mls_tensor_squeeze(mls_tensor* input, int64_t dim, mls_tensor** out);
MLS_API mls_status mls_tensor_unsqueeze(mls_tensor* input, int64_t dim, mls_tensor** out);
/* which: 0 tril, 1 triu. */
MLS_API mls_status mls_tensor_triangle(int32_t which, mls_tensor* input, int64_t diagonal, mls_tensor** out);
MLS_API mls_status mls_linalg_qr(mls_tensor* input, mls_tensor** q, mls_tensor** r);

/* ---- neural-network ops and losses (nn.cpp) ---- */
MLS_API mls_status mls_nn_linear(mls_tensor* input, mls_tensor* weight, mls_tensor* bias /* nullable */, mls_tensor** out);
/* padding_index < 0: none. The padding row receives no gradient. */
MLS_API mls_status mls_nn_embedding(mls_tensor* weight, mls_tensor* indices, int64_t padding_index, mls_tensor** out);
/* Inverted dropout with a mask drawn from generator (nullable: libtorch's global one); identity when !train or p = 0. */
MLS_API mls_status mls_nn_dropout(mls_tensor* input, double p, int32_t train, mls_generator* generator, mls_tensor** out);
MLS_API mls_status mls_nn_layer_norm(mls_tensor* input, const int64_t* normalized_shape, int32_t ndim,
                                     mls_tensor* weight /* nullable */, mls_tensor* bias /* nullable */, double eps,
                                     mls_tensor** out);
MLS_API mls_status mls_nn_batch_norm(mls_tensor* input, mls_tensor* weight /* nullable */, mls_tensor* bias /* nullable */,
                                     mls_tensor* running_mean /* nullable */, mls_tensor* running_var /* nullable */,
                                     int32_t training, double momentum, double eps, mls_tensor** out);
/* spatial_dims 1 (conv1d) or 2 (conv2d); stride, padding, dilation have spatial_dims entries each. */
MLS_API mls_status mls_nn_conv(mls_tensor* input, mls_tensor* weight, mls_tensor* bias /* nullable */,
                               const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                               int32_t spatial_dims, int64_t groups, mls_tensor** out);
MLS_API mls_status mls_nn_max_pool(mls_tensor* input, const int64_t* kernel, const int64_t* stride,
                                   const int64_t* padding, const int64_t* dilation, int32_t spatial_dims,
                                   int32_t ceil_mode, mls_tensor** out);
MLS_API mls_status mls_nn_adaptive_avg_pool(mls_tensor* input, const int64_t* output_size, int32_t spatial_dims,
                                            mls_tensor** out);
MLS_API mls_status mls_nn_cross_entropy(mls_tensor* input, mls_tensor* target, mls_tensor* weight /* nullable */,
                                        int32_t reduction, int64_t ignore_index, double label_smoothing,
                                        mls_tensor** out);
MLS_API mls_status mls_nn_nll_loss(mls_tensor* input, mls_tensor* target, mls_tensor* weight /* nullable */,
                                   int32_t reduction, int64_t ignore_index, mls_tensor** out);
MLS_API mls_status mls_nn_ctc_loss(mls_tensor* log_probs, mls_tensor* targets, mls_tensor* input_lengths,
                                   mls_tensor* target_lengths, int64_t blank, int32_t reduction,
                                   int32_t zero_infinity, mls_tensor** out);
MLS_API mls_status mls_nn_mse_loss(mls_tensor* input, mls_tensor* target, int32_t reduction, mls_tensor** out);
MLS_API mls_status mls_nn_bce_with_logits(mls_tensor* input, mls_tensor* target, mls_tensor* pos_weight /* nullable */,
                                          int32_t reduction, mls_tensor** out);

/* ---- whole-sequence recurrent kernels (rnn.cpp) ----
 * weights: for each layer, then each direction: w_ih, w_hh[, b_ih, b_hh]; weight_count must equal
 * layers x directions x (4 with biases, 2 without).
 * batch_sizes nullable: null = padded input ([B,T,F] when batch_first, else [T,B,F]);
 * non-null = packed input (data [sum of lengths, F] from mls_rnn_pack_padded), batch_first ignored.
 * h0 (and c0 for LSTM) nullable: zeros. h0 and c0 must be given both or neither. */
MLS_API mls_status mls_rnn_lstm(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0, mls_tensor* c0,
                                mls_tensor* const* weights, int32_t weight_count, int32_t has_biases,
                                int64_t num_layers, double dropout, int32_t train, int32_t bidirectional,
                                int32_t batch_first, mls_tensor** output, mls_tensor** h_n, mls_tensor** c_n);
MLS_API mls_status mls_rnn_gru(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0,
                               mls_tensor* const* weights, int32_t weight_count, int32_t has_biases,
                               int64_t num_layers, double dropout, int32_t train, int32_t bidirectional,
                               int32_t batch_first, mls_tensor** output, mls_tensor** h_n);
MLS_API mls_status mls_rnn_tanh(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0,
                                mls_tensor* const* weights, int32_t weight_count, int32_t has_biases,
                                int64_t num_layers, double dropout, int32_t train, int32_t bidirectional,
                                int32_t batch_first, mls_tensor** output, mls_tensor** h_n);
MLS_API mls_status mls_rnn_relu(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0,
                                mls_tensor* const* weights, int32_t weight_count, int32_t has_biases,
                                int64_t num_layers, double dropout, int32_t train, int32_t bidirectional,
                                int32_t batch_first, mls_tensor** output, mls_tensor** h_n);
/* The same LSTM as mls_rnn_lstm (no dropout argument: run layer by layer for dropout), computed by the shim's own
 * kernel whose backward pass forms each weight gradient with one matrix product over all steps (lstm.cpp). */
MLS_API mls_status mls_rnn_lstm_sequence_gemm(mls_tensor* input, mls_tensor* batch_sizes, mls_tensor* h0, mls_tensor* c0,
                                              mls_tensor* const* weights, int32_t weight_count, int32_t has_biases,
                                              int64_t num_layers, int32_t bidirectional, int32_t batch_first,
                                              mls_tensor** output, mls_tensor** h_n, mls_tensor** c_n);
/* lengths: CPU int64, descending, every entry > 0 (sorting is the caller's job). */
MLS_API mls_status mls_rnn_pack_padded(mls_tensor* input, mls_tensor* lengths, int32_t batch_first,
                                       mls_tensor** data, mls_tensor** batch_sizes);
/* total_length < 0: the longest sequence. */
MLS_API mls_status mls_rnn_pad_packed(mls_tensor* data, mls_tensor* batch_sizes, int32_t batch_first,
                                      double padding_value, int64_t total_length, mls_tensor** output,
                                      mls_tensor** lengths);

#ifdef __cplusplus
}
#endif
#endif
