// Internal helpers shared by the shim's translation units: handle structs, the error guard, argument checks.
#pragma once
#include <ATen/ATen.h>
#include <atomic>
#include <exception>
#include <string>
#include <vector>

#include "mls_api.h"

struct mls_tensor {
  at::Tensor value;
};

struct mls_generator {
  at::Generator value;
};

namespace mls {

extern std::atomic<int64_t> live_tensors;

void set_last_error(const char* message) noexcept;

// Runs body and turns every exception into a status plus the thread-local message, so nothing crosses the ABI.
template <class Body>
mls_status guarded(Body&& body) noexcept {
  try {
    body();
    return MLS_OK;
  } catch (const c10::Error& e) {
    set_last_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_last_error(e.what());
  } catch (...) {
    set_last_error("unknown native exception");
  }
  return MLS_ERROR;
}

// Hands a tensor to the caller; an undefined tensor becomes a null handle (status stays ok).
inline mls_tensor* wrap(at::Tensor t) {
  if (!t.defined()) return nullptr;
  auto* handle = new mls_tensor{std::move(t)};
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return handle;
}

inline void require_out(const void* out, const char* name) {
  TORCH_CHECK(out != nullptr, "output argument '", name, "' is null");
}

inline const at::Tensor& get(const mls_tensor* t, const char* name) {
  TORCH_CHECK(t != nullptr, "tensor argument '", name, "' is null");
  return t->value;
}

// An optional tensor argument: null becomes an undefined tensor.
inline at::Tensor optional(const mls_tensor* t) { return t ? t->value : at::Tensor(); }

inline c10::optional<at::Generator> generator(const mls_generator* g) {
  if (!g) return c10::nullopt;
  return g->value;
}

inline at::IntArrayRef ints(const int64_t* values, int32_t count, const char* name) {
  TORCH_CHECK(count >= 0, "'", name, "' has negative length ", count);
  TORCH_CHECK(count == 0 || values != nullptr, "'", name, "' is null but its length is ", count);
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

at::ScalarType scalar_type(int32_t dtype);
at::Device device(int32_t device_type, int32_t device_index);
at::Reduction::Reduction reduction(int32_t code);

}  // namespace mls
