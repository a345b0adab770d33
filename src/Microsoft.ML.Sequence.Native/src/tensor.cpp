// Tensors: creation from and copy to managed memory, metadata, random numbers, generators, autograd.
#include "shim.h"

#include <cstring>

using mls::get;
using mls::guarded;
using mls::require_out;
using mls::wrap;

namespace {
at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
  return at::TensorOptions().dtype(mls::scalar_type(dtype)).device(mls::device(device_type, device_index));
}
}  // namespace

extern "C" {

MLS_API mls_status mls_generator_new(int32_t device_type, int32_t device_index, uint64_t seed, mls_generator** out) {
  return guarded([&] {
    require_out(out, "out");
    // Cloning the device's default generator gives the right generator kind for CPU and CUDA alike.
    at::Generator generator = at::globalContext().defaultGenerator(mls::device(device_type, device_index)).clone();
    {
      std::lock_guard<std::mutex> lock(generator.mutex());
      generator.set_current_seed(seed);
    }
    *out = new mls_generator{std::move(generator)};
  });
}

MLS_API mls_status mls_generator_free(mls_generator* generator) {
  delete generator;
  return MLS_OK;
}

MLS_API mls_status mls_generator_set_seed(mls_generator* generator, uint64_t seed) {
  return guarded([&] {
    TORCH_CHECK(generator != nullptr, "generator is null");
    std::lock_guard<std::mutex> lock(generator->value.mutex());
    generator->value.set_current_seed(seed);
  });
}

MLS_API mls_status mls_generator_get_state(mls_generator* generator, mls_tensor** state) {
  return guarded([&] {
    TORCH_CHECK(generator != nullptr, "generator is null");
    require_out(state, "state");
    std::lock_guard<std::mutex> lock(generator->value.mutex());
    *state = wrap(generator->value.get_state());
  });
}

MLS_API mls_status mls_generator_set_state(mls_generator* generator, mls_tensor* state) {
  return guarded([&] {
    TORCH_CHECK(generator != nullptr, "generator is null");
    std::lock_guard<std::mutex> lock(generator->value.mutex());
    generator->value.set_state(get(state, "state"));
  });
}

MLS_API mls_status mls_tensor_free(mls_tensor* tensor) {
  if (tensor) {
    delete tensor;
    mls::live_tensors.fetch_sub(1, std::memory_order_relaxed);
  }
  return MLS_OK;
}

MLS_API mls_status mls_tensor_from_data(const void* data, int64_t byte_count, int32_t dtype, const int64_t* shape,
                                        int32_t ndim, int32_t device_type, int32_t device_index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    at::Tensor cpu = at::empty(mls::ints(shape, ndim, "shape"), options(dtype, 0, 0));
    const int64_t expected = cpu.numel() * static_cast<int64_t>(cpu.element_size());
    TORCH_CHECK(byte_count == expected, "buffer holds ", byte_count, " bytes but shape ", cpu.sizes(), " of ",
                cpu.scalar_type(), " needs ", expected);
    TORCH_CHECK(expected == 0 || data != nullptr, "data is null");
    if (expected > 0) std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(expected));
    at::Device target = mls::device(device_type, device_index);
    *out = wrap(target.is_cpu() ? cpu : cpu.to(target));
  });
}

MLS_API mls_status mls_tensor_copy_to(mls_tensor* tensor, void* dst, int64_t byte_count) {
  return guarded([&] {
    at::Tensor cpu = get(tensor, "tensor").detach().to(at::kCPU).contiguous();
    const int64_t expected = cpu.numel() * static_cast<int64_t>(cpu.element_size());
    TORCH_CHECK(byte_count == expected, "destination holds ", byte_count, " bytes but the tensor of shape ",
                cpu.sizes(), " and dtype ", cpu.scalar_type(), " has ", expected);
    TORCH_CHECK(expected == 0 || dst != nullptr, "destination is null");
    if (expected > 0) std::memcpy(dst, cpu.data_ptr(), static_cast<size_t>(expected));
  });
}

MLS_API mls_status mls_tensor_ndim(mls_tensor* tensor, int32_t* ndim) {
  return guarded([&] {
    require_out(ndim, "ndim");
    *ndim = static_cast<int32_t>(get(tensor, "tensor").dim());
  });
}

MLS_API mls_status mls_tensor_shape(mls_tensor* tensor, int64_t* shape, int32_t capacity) {
  return guarded([&] {
    const at::Tensor& t = get(tensor, "tensor");
    TORCH_CHECK(capacity >= t.dim(), "shape buffer holds ", capacity, " entries, tensor has ", t.dim(), " dimensions");
    TORCH_CHECK(t.dim() == 0 || shape != nullptr, "shape buffer is null");
    for (int64_t i = 0; i < t.dim(); ++i) shape[i] = t.size(i);
  });
}

MLS_API mls_status mls_tensor_dtype(mls_tensor* tensor, int32_t* dtype) {
  return guarded([&] {
    require_out(dtype, "dtype");
    *dtype = static_cast<int32_t>(get(tensor, "tensor").scalar_type());
  });
}

MLS_API mls_status mls_tensor_device(mls_tensor* tensor, int32_t* device_type, int32_t* device_index) {
  return guarded([&] {
    require_out(device_type, "device_type");
    require_out(device_index, "device_index");
    at::Device d = get(tensor, "tensor").device();
    TORCH_CHECK(d.is_cpu() || d.is_cuda(), "tensor lives on unsupported device ", d);
    *device_type = d.is_cpu() ? 0 : 1;
    *device_index = d.is_cpu() ? 0 : d.index();
  });
}

MLS_API mls_status mls_tensor_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype,
                                   int32_t device_type, int32_t device_index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::full(mls::ints(shape, ndim, "shape"), value, options(dtype, device_type, device_index)));
  });
}

MLS_API mls_status mls_tensor_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                                     int32_t device_index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::arange(start, end, step, options(dtype, device_type, device_index)));
  });
}

MLS_API mls_status mls_tensor_eye(int64_t n, int32_t dtype, int32_t device_type, int32_t device_index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::eye(n, options(dtype, device_type, device_index)));
  });
}

MLS_API mls_status mls_tensor_random(int32_t distribution, const int64_t* shape, int32_t ndim, int32_t dtype,
                                     int32_t device_type, int32_t device_index, mls_generator* generator,
                                     mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    auto size = mls::ints(shape, ndim, "shape");
    auto opts = options(dtype, device_type, device_index);
    switch (distribution) {
      case 0: *out = wrap(at::rand(size, mls::generator(generator), opts)); break;
      case 1: *out = wrap(at::randn(size, mls::generator(generator), opts)); break;
      default: TORCH_CHECK(false, "unknown distribution code ", distribution, " (expected 0 uniform, 1 normal)");
    }
  });
}

MLS_API mls_status mls_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim,
                                      int32_t device_type, int32_t device_index, mls_generator* generator,
                                      mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::randint(low, high, mls::ints(shape, ndim, "shape"), mls::generator(generator),
                            options(4, device_type, device_index)));
  });
}

MLS_API mls_status mls_tensor_randperm(int64_t n, int32_t device_type, int32_t device_index, mls_generator* generator,
                                       mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::randperm(n, mls::generator(generator), options(4, device_type, device_index)));
  });
}

MLS_API mls_status mls_tensor_bernoulli(mls_tensor* probabilities, mls_generator* generator, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(at::bernoulli(get(probabilities, "probabilities"), mls::generator(generator)));
  });
}

MLS_API mls_status mls_tensor_to_dtype(mls_tensor* tensor, int32_t dtype, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(get(tensor, "tensor").to(mls::scalar_type(dtype)));
  });
}

MLS_API mls_status mls_tensor_to_device(mls_tensor* tensor, int32_t device_type, int32_t device_index, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(get(tensor, "tensor").to(mls::device(device_type, device_index)));
  });
}

MLS_API mls_status mls_tensor_clone(mls_tensor* tensor, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(get(tensor, "tensor").clone());
  });
}

MLS_API mls_status mls_tensor_detach(mls_tensor* tensor, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(get(tensor, "tensor").detach());
  });
}

MLS_API mls_status mls_tensor_contiguous(mls_tensor* tensor, mls_tensor** out) {
  return guarded([&] {
    require_out(out, "out");
    *out = wrap(get(tensor, "tensor").contiguous());
  });
}

MLS_API mls_status mls_tensor_requires_grad(mls_tensor* tensor, int32_t* requires_grad) {
  return guarded([&] {
    require_out(requires_grad, "requires_grad");
    *requires_grad = get(tensor, "tensor").requires_grad() ? 1 : 0;
  });
}

MLS_API mls_status mls_tensor_set_requires_grad(mls_tensor* tensor, int32_t requires_grad) {
  return guarded([&] {
    TORCH_CHECK(tensor != nullptr, "tensor is null");
    tensor->value.set_requires_grad(requires_grad != 0);
  });
}

MLS_API mls_status mls_tensor_grad(mls_tensor* tensor, mls_tensor** grad) {
  return guarded([&] {
    require_out(grad, "grad");
    *grad = wrap(get(tensor, "tensor").grad());
  });
}

MLS_API mls_status mls_tensor_set_grad(mls_tensor* tensor, mls_tensor* grad) {
  return guarded([&] {
    TORCH_CHECK(tensor != nullptr, "tensor is null");
    tensor->value.mutable_grad() = mls::optional(grad);
  });
}

MLS_API mls_status mls_tensor_backward(mls_tensor* tensor, mls_tensor* gradient, int32_t retain_graph) {
  return guarded([&] {
    get(tensor, "tensor").backward(mls::optional(gradient), retain_graph != 0);
  });
}

}  // extern "C"
