// Runtime services: the last-error slot, the live-tensor counter, threads, devices, seeds and grad mode.
#include "shim.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

namespace mls {

std::atomic<int64_t> live_tensors{0};

namespace {
thread_local std::string last_error;

using openblas_set_fn = void (*)(int);
using openblas_get_fn = int (*)();

// .NET loads this library RTLD_LOCAL, so RTLD_DEFAULT cannot see OpenBLAS: ask the already-loaded BLAS by name.
void* find_openblas_symbol(const char* name) {
  for (const char* library : {"libopenblas.so.0", "libblas.so.3", "libopenblas.so"}) {
    if (void* handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD)) {
      void* symbol = dlsym(handle, name);
      dlclose(handle);
      if (symbol) return symbol;
    }
  }
  return dlsym(RTLD_DEFAULT, name);
}
}  // namespace

void set_last_error(const char* message) noexcept {
  try {
    last_error = message ? message : "";
  } catch (...) {
  }
}

at::ScalarType scalar_type(int32_t dtype) {
  switch (dtype) {
    case 0: return at::kByte;
    case 3: return at::kInt;
    case 4: return at::kLong;
    case 6: return at::kFloat;
    case 7: return at::kDouble;
    case 11: return at::kBool;
    default: TORCH_CHECK(false, "unknown dtype code ", dtype, " (expected 0, 3, 4, 6, 7 or 11)");
  }
}

at::Device device(int32_t device_type, int32_t device_index) {
  switch (device_type) {
    case 0: return at::Device(at::kCPU);
    case 1: return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(device_index));
    default: TORCH_CHECK(false, "unknown device type code ", device_type, " (expected 0 = CPU or 1 = CUDA)");
  }
}

at::Reduction::Reduction reduction(int32_t code) {
  switch (code) {
    case 0: return at::Reduction::None;
    case 1: return at::Reduction::Mean;
    case 2: return at::Reduction::Sum;
    default: TORCH_CHECK(false, "unknown reduction code ", code, " (expected 0 none, 1 mean, 2 sum)");
  }
}

}  // namespace mls

extern "C" {

MLS_API const char* mls_last_error(void) { return mls::last_error.c_str(); }

MLS_API int64_t mls_live_tensor_count(void) { return mls::live_tensors.load(std::memory_order_relaxed); }

MLS_API mls_status mls_threads_set(int32_t intra_op, int32_t blas, int32_t* blas_applied) {
  return mls::guarded([&] {
    TORCH_CHECK(intra_op >= 1, "intra-op thread count must be >= 1, got ", intra_op);
    TORCH_CHECK(blas >= 1, "BLAS thread count must be >= 1, got ", blas);
    at::set_num_threads(intra_op);
    auto set = reinterpret_cast<mls::openblas_set_fn>(mls::find_openblas_symbol("openblas_set_num_threads"));
    if (set) set(blas);
    if (blas_applied) *blas_applied = set ? 1 : 0;
  });
}

MLS_API mls_status mls_threads_get(int32_t* intra_op, int32_t* blas) {
  return mls::guarded([&] {
    mls::require_out(intra_op, "intra_op");
    mls::require_out(blas, "blas");
    *intra_op = at::get_num_threads();
    auto get = reinterpret_cast<mls::openblas_get_fn>(mls::find_openblas_symbol("openblas_get_num_threads"));
    *blas = get ? get() : 0;
  });
}

MLS_API mls_status mls_cuda_is_available(int32_t* available) {
  return mls::guarded([&] {
    mls::require_out(available, "available");
    *available = at::hasCUDA() ? 1 : 0;
  });
}

MLS_API mls_status mls_cuda_device_count(int32_t* count) {
  return mls::guarded([&] {
    mls::require_out(count, "count");
    *count = at::hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().getNumGPUs()) : 0;
  });
}

MLS_API mls_status mls_random_manual_seed(uint64_t seed) {
  return mls::guarded([&] { at::manual_seed(seed); });
}

MLS_API mls_status mls_autograd_set_enabled(int32_t enabled) {
  return mls::guarded([&] { c10::GradMode::set_enabled(enabled != 0); });
}

MLS_API mls_status mls_autograd_is_enabled(int32_t* enabled) {
  return mls::guarded([&] {
    mls::require_out(enabled, "enabled");
    *enabled = c10::GradMode::is_enabled() ? 1 : 0;
  });
}

}  // extern "C"
