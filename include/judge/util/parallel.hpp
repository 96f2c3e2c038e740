// SPDX-License-Identifier: MIT
#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace judge::util {

/// Runs fn(0), ..., fn(n - 1) on up to `threads` threads (the calling one included); each index at most once,
/// in no particular order. When fn throws, no thread takes a new index and the first exception is rethrown
/// here once every thread has stopped (an exception never escapes a worker thread).
template <class Fn>
void parallel_for(std::size_t n, std::size_t threads, Fn fn) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  std::mutex mutex;
  auto work = [&] {
    for (std::size_t i; !stop && (i = next++) < n;) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < std::min(threads, n); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace judge::util
