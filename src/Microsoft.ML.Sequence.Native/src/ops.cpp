// Elementwise, reduction, indexing and shape ops.
#include "shim.h"

#include <cmath>

using mls::get;
using mls::guarded;
using mls::require_out;
using mls::wrap;

namespace {

// Scalars cross the ABI as double; an integral tensor with a whole-number scalar keeps its integer dtype
// (lengths - 1 stays int64), as the same expression does in PyTorch.
at::Scalar scalar_for(const at::Tensor& t, double value) {
  if (at::isIntegralType(t.scalar_type(), /*includeBool=*/true) && std::nearbyint(value) == value &&
      std::abs(value) < 9.0e15) {
    return at::Scalar(static_cast<int64_t>(value));
  }
  return at::Scalar(value);
}

at::Tensor unary(int32_t op, const at::Tensor& x) {
  switch (op) {
    case MLS_UNARY_NEG: return at::neg(x);
    case MLS_UNARY_ABS: return at::abs(x);
    case MLS_UNARY_EXP: return at::exp(x);
    case MLS_UNARY_LOG: return at::log(x);
    case MLS_UNARY_LOG1P: return at::log1p(x);
    case MLS_UNARY_SQRT: return at::sqrt(x);
    case MLS_UNARY_RSQRT: return at::rsqrt(x);
    case MLS_UNARY_SIN: return at::sin(x);
    case MLS_UNARY_COS: return at::cos(x);
    case MLS_UNARY_TANH: return at::tanh(x);
    case MLS_UNARY_SIGMOID: return at::sigmoid(x);
    case MLS_UNARY_RELU: return at::relu(x);
    case MLS_UNARY_GELU: return at::gelu(x);
    case MLS_UNARY_SILU: return at::silu(x);
    case MLS_UNARY_SIGN: return at::sign(x);
    case MLS_UNARY_FLOOR: return at::floor(x);
    case MLS_UNARY_CEIL: return at::ceil(x);
    case MLS_UNARY_ROUND: return at::round(x);
    case MLS_UNARY_RECIPROCAL: return at::reciprocal(x);
    case MLS_UNARY_SQUARE: return at::square(x);
    case MLS_UNARY_LOGICAL_NOT: return at::logical_not(x);
    case MLS_UNARY_ERF: return at::erf(x);
    case MLS_UNARY_ISNAN: return at::isnan(x);
    case MLS_UNARY_SOFTPLUS: return at::softplus(x);
    case MLS_UNARY_ISFINITE: return at::isfinite(x);
    default: TORCH_CHECK(false, "unknown unary op code ", op);
  }
}

at::Tensor binary(int32_t op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case MLS_BINARY_ADD: return at::add(a, b);
    case MLS_BINARY_SUB: return at::sub(a, b);
    case MLS_BINARY_MUL: return at::mul(a, b);
    case MLS_BINARY_DIV: return at::div(a, b);
    case MLS_BINARY_POW: return at::pow(a, b);
    case MLS_BINARY_MAXIMUM: return at::maximum(a, b);
    case MLS_BINARY_MINIMUM: return at::minimum(a, b);
    case MLS_BINARY_EQ: return at::eq(a, b);
    case MLS_BINARY_NE: return at::ne(a, b);
    case MLS_BINARY_LT: return at::lt(a, b);
    case MLS_BINARY_LE: return at::le(a, b);
    case MLS_BINARY_GT: return at::gt(a, b);
    case MLS_BINARY_GE: return at::ge(a, b);
    case MLS_BINARY_LOGICAL_AND: return at::logical_and(a, b);
    case MLS_BINARY_LOGICAL_OR: return at::logical_or(a, b);
    case MLS_BINARY_REMAINDER: return at::remainder(a, b);
    default: TORCH_CHECK(false, "unknown binary op code ", op);
  }
}

at::Tensor binary_scalar(int32_t op, const at::Tensor& a, const at::Scalar& s) {
  switch (op) {
    case MLS_BINARY_ADD: return at::add(a, s);
    case MLS_BINARY_SUB: return at::sub(a, s);
    case MLS_BINARY_MUL: return at::mul(a, s);
    case MLS_BINARY_DIV: return at::div(a, s);
    case MLS_BINARY_POW: return at::pow(a, s);
    case MLS_BINARY_MAXIMUM: return at::clamp_min(a, s);
    case MLS_BINARY_MINIMUM: return at::clamp_max(a, s);
    case MLS_BINARY_EQ: return at::eq(a, s);
    case MLS_BINARY_NE: return at::ne(a, s);
    case MLS_BINARY_LT: return at::lt(a, s);
    case MLS_BINARY_LE: return at::le(a, s);
    case MLS_BINARY_GT: return at::gt(a, s);
    case MLS_BINARY_GE: return at::ge(a, s);
    case MLS_BINARY_REMAINDER: return at::remainder(a, s);
    default: TORCH_CHECK(false, "binary op code ", op, " has no scalar form");
  }
}

at::Tensor reduce(int32_t op, const at::Tensor& x, at::IntArrayRef dims, bool keepdim) {
  const bool all = dims.empty();
  std::vector<int64_t> every;
  if (all) {
    for (int64_t i = 0; i < x.dim(); ++i) every.push_back(i);
  }
  at::IntArrayRef d = all ? at::IntArrayRef(every) : dims;
  switch (op) {
    case MLS_REDUCE_SUM: return all && !keepdim ? at::sum(x) : at::sum(x, d, keepdim);
    case MLS_REDUCE_MEAN: return all && !keepdim ? at::mean(x) : at::mean(x, d, keepdim);
    case MLS_REDUCE_MAX: return at::amax(x, d, keepdim);
    case MLS_REDUCE_MIN: return at::amin(x, d, keepdim);
    case MLS_REDUCE_PROD: {
      if (all && !keepdim) return at::prod(x);
      at::Tensor r = x;
      std::vector<int64_t> sorted(d.begin(), d.end());
      for (auto& v : sorted) v = c10::maybe_wrap_dim(v, x.dim());
      std::sort(sorted.rbegin(), sorted.rend());  // highest first keeps lower dim numbers valid
      for (int64_t dim : sorted) r = at::prod(r, dim, keepdim);
      return r;
    }
    case MLS_REDUCE_LOGSUMEXP: return at::logsumexp(x, d, keepdim);
    case MLS_REDUCE_NORM2: return at::linalg_vector_norm(x, 2, d, keepdim);
    case MLS_REDUCE_STD: return at::std(x, d, /*unbiased=*/true, keepdim);
    case MLS_REDUCE_VAR: return at::var(x, d, /*unbiased=*/true, keepdim);
    default: TORCH_CHECK(false, "unknown reduction op code ", op);
  }
}

}  // namespace

extern "C" {

MLS_API mls_status mls_tensor_unary(int32_t op, mls_tensor* input, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(unary(op, get(input, "input")));
  });
}

MLS_API mls_status mls_tensor_binary(int32_t op, mls_tensor* left, mls_tensor* right, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(binary(op, get(left, "left"), get(right, "right")));
  });
}

MLS_API mls_status mls_tensor_binary_scalar(int32_t op, mls_tensor* left, double right, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    const at::Tensor& a = get(left, "left");
    *out = wrap(binary_scalar(op, a, scalar_for(a, right)));
  });
}

MLS_API mls_status mls_tensor_binary_(int32_t op, mls_tensor* left, mls_tensor* right, double alpha) {
  return guarded([&] {
    at::Tensor a = get(left, "left");
    const at::Tensor& b = get(right, "right");
    switch (op) {
      case MLS_BINARY_ADD: a.add_(b, alpha); break;
      case MLS_BINARY_SUB: a.sub_(b, alpha); break;
      case MLS_BINARY_MUL: a.mul_(b); break;
      case MLS_BINARY_DIV: a.div_(b); break;
      case MLS_BINARY_MAXIMUM: at::maximum_out(a, a, b); break;
      case MLS_BINARY_MINIMUM: at::minimum_out(a, a, b); break;
      default: TORCH_CHECK(false, "binary op code ", op, " has no in-place form");
    }
  });
}

MLS_API mls_status mls_tensor_binary_scalar_(int32_t op, mls_tensor* left, double right) {
  return guarded([&] {
    at::Tensor a = get(left, "left");
    const at::Scalar s = scalar_for(a, right);
    switch (op) {
      case MLS_BINARY_ADD: a.add_(s); break;
      case MLS_BINARY_SUB: a.sub_(s); break;
      case MLS_BINARY_MUL: a.mul_(s); break;
      case MLS_BINARY_DIV: a.div_(s); break;
      case MLS_BINARY_POW: a.pow_(s); break;
      case MLS_BINARY_MAXIMUM: a.clamp_min_(s); break;
      case MLS_BINARY_MINIMUM: a.clamp_max_(s); break;
      default: TORCH_CHECK(false, "binary op code ", op, " has no in-place scalar form");
    }
  });
}

MLS_API mls_status mls_tensor_copy_(mls_tensor* destination, mls_tensor* source) {
  return guarded([&] {
    at::Tensor d = get(destination, "destination");
    d.copy_(get(source, "source"));
  });
}

MLS_API mls_status mls_tensor_fill_(mls_tensor* tensor, double value) {
  return guarded([&] {
    at::Tensor t = get(tensor, "tensor");
    t.fill_(scalar_for(t, value));
  });
}

MLS_API mls_status mls_tensor_addcmul_(mls_tensor* tensor, mls_tensor* t1, mls_tensor* t2, double value) {
  return guarded([&] {
    at::Tensor t = get(tensor, "tensor");
    t.addcmul_(get(t1, "t1"), get(t2, "t2"), value);
  });
}

MLS_API mls_status mls_tensor_addcdiv_(mls_tensor* tensor, mls_tensor* t1, mls_tensor* t2, double value) {
  return guarded([&] {
    at::Tensor t = get(tensor, "tensor");
    t.addcdiv_(get(t1, "t1"), get(t2, "t2"), value);
  });
}

MLS_API mls_status mls_tensor_reduce(int32_t op, mls_tensor* input, const int64_t* dims, int32_t dim_count,
                                     int32_t keepdim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(reduce(op, get(input, "input"), mls::ints(dims, dim_count, "dims"), keepdim != 0));
  });
}

MLS_API mls_status mls_tensor_arg_reduce(int32_t which, mls_tensor* input, int64_t dim, int32_t has_dim,
                                         int32_t keepdim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    c10::optional<int64_t> d = has_dim ? c10::optional<int64_t>(dim) : c10::nullopt;
    const at::Tensor& x = get(input, "input");
    switch (which) {
      case 0: *out = wrap(at::argmax(x, d, keepdim != 0)); break;
      case 1: *out = wrap(at::argmin(x, d, keepdim != 0)); break;
      default: TORCH_CHECK(false, "unknown arg-reduction code ", which, " (expected 0 argmax, 1 argmin)");
    }
  });
}

MLS_API mls_status mls_tensor_topk(mls_tensor* input, int64_t k, int64_t dim, int32_t largest, int32_t sorted,
                                   mls_tensor** values, mls_tensor** indices) {
  return guarded([&] {
    require_out(values, "values");
    require_out(indices, "indices");
    auto result = at::topk(get(input, "input"), k, dim, largest != 0, sorted != 0);
    *values = wrap(std::get<0>(result));
    *indices = wrap(std::get<1>(result));
  });
}

MLS_API mls_status mls_tensor_sort(mls_tensor* input, int64_t dim, int32_t descending, int32_t stable,
                                   mls_tensor** values, mls_tensor** indices) {
  return guarded([&] {
    require_out(values, "values");
    require_out(indices, "indices");
    auto result = at::sort(get(input, "input"), c10::optional<bool>(stable != 0), dim, descending != 0);
    *values = wrap(std::get<0>(result));
    *indices = wrap(std::get<1>(result));
  });
}

MLS_API mls_status mls_tensor_softmax(mls_tensor* input, int64_t dim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::softmax(get(input, "input"), dim));
  });
}

MLS_API mls_status mls_tensor_log_softmax(mls_tensor* input, int64_t dim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::log_softmax(get(input, "input"), dim));
  });
}

MLS_API mls_status mls_tensor_matmul(mls_tensor* left, mls_tensor* right, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::matmul(get(left, "left"), get(right, "right")));
  });
}

MLS_API mls_status mls_tensor_clamp(mls_tensor* input, double min, int32_t has_min, double max, int32_t has_max,
                                    mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    TORCH_CHECK(has_min || has_max, "clamp needs a minimum, a maximum or both");
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
    *out = wrap(at::clamp(get(input, "input"), lo, hi));
  });
}

MLS_API mls_status mls_tensor_where(mls_tensor* condition, mls_tensor* left, mls_tensor* right, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::where(get(condition, "condition"), get(left, "left"), get(right, "right")));
  });
}

MLS_API mls_status mls_tensor_masked_fill(mls_tensor* input, mls_tensor* mask, double value, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::masked_fill(get(input, "input"), get(mask, "mask"), value));
  });
}

MLS_API mls_status mls_tensor_join(int32_t which, mls_tensor* const* tensors, int32_t count, int64_t dim,
                                   mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    TORCH_CHECK(count > 0 && tensors != nullptr, "join needs at least one tensor, got ", count);
    std::vector<at::Tensor> list;
    list.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) list.push_back(get(tensors[i], "tensors[i]"));
    switch (which) {
      case 0: *out = wrap(at::cat(list, dim)); break;
      case 1: *out = wrap(at::stack(list, dim)); break;
      default: TORCH_CHECK(false, "unknown join code ", which, " (expected 0 cat, 1 stack)");
    }
  });
}

MLS_API mls_status mls_tensor_index_select(mls_tensor* input, int64_t dim, mls_tensor* index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::index_select(get(input, "input"), dim, get(index, "index")));
  });
}

MLS_API mls_status mls_tensor_gather(mls_tensor* input, int64_t dim, mls_tensor* index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::gather(get(input, "input"), dim, get(index, "index")));
  });
}

MLS_API mls_status mls_tensor_scatter_add(mls_tensor* input, int64_t dim, mls_tensor* index, mls_tensor* source,
                                          mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::scatter_add(get(input, "input"), dim, get(index, "index"), get(source, "source")));
  });
}

MLS_API mls_status mls_tensor_narrow(mls_tensor* input, int64_t dim, int64_t start, int64_t length, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::narrow(get(input, "input"), dim, start, length));
  });
}

MLS_API mls_status mls_tensor_select(mls_tensor* input, int64_t dim, int64_t index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::select(get(input, "input"), dim, index));
  });
}

MLS_API mls_status mls_tensor_reshape(mls_tensor* input, const int64_t* shape, int32_t ndim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::reshape(get(input, "input"), mls::ints(shape, ndim, "shape")));
  });
}

MLS_API mls_status mls_tensor_view(mls_tensor* input, const int64_t* shape, int32_t ndim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(get(input, "input").view(mls::ints(shape, ndim, "shape")));
  });
}

MLS_API mls_status mls_tensor_expand(mls_tensor* input, const int64_t* shape, int32_t ndim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(get(input, "input").expand(mls::ints(shape, ndim, "shape")));
  });
}

MLS_API mls_status mls_tensor_repeat(mls_tensor* input, const int64_t* repeats, int32_t ndim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(get(input, "input").repeat(mls::ints(repeats, ndim, "repeats")));
  });
}

MLS_API mls_status mls_tensor_permute(mls_tensor* input, const int64_t* dims, int32_t ndim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::permute(get(input, "input"), mls::ints(dims, ndim, "dims")));
  });
}

MLS_API mls_status mls_tensor_flip(mls_tensor* input, const int64_t* dims, int32_t ndim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::flip(get(input, "input"), mls::ints(dims, ndim, "dims")));
  });
}

MLS_API mls_status mls_tensor_transpose(mls_tensor* input, int64_t dim0, int64_t dim1, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::transpose(get(input, "input"), dim0, dim1));
  });
}

MLS_API mls_status mls_tensor_squeeze(mls_tensor* input, int64_t dim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::squeeze(get(input, "input"), dim));
  });
}

MLS_API mls_status mls_tensor_unsqueeze(mls_tensor* input, int64_t dim, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::unsqueeze(get(input, "input"), dim));
  });
}

MLS_API mls_status mls_tensor_triangle(int32_t which, mls_tensor* input, int64_t diagonal, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    switch (which) {
      case 0: *out = wrap(at::tril(get(input, "input"), diagonal)); break;
      case 1: *out = wrap(at::triu(get(input, "input"), diagonal)); break;
      default: TORCH_CHECK(false, "unknown triangle code ", which, " (expected 0 tril, 1 triu)");
    }
  });
}

MLS_API mls_status mls_linalg_qr(mls_tensor* input, mls_tensor** q, mls_tensor** r) {
  return guarded([&] {
    require_out(q, "q");
    require_out(r, "r");
    auto result = at::linalg_qr(get(input, "input"), "reduced");
    *q = wrap(std::get<0>(result));
    *r = wrap(std::get<1>(result));
  });
}

}  // extern "C"
