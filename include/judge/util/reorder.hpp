// SPDX-License-Identifier: MIT
// Results that finish in any order, handed on in index order as soon as every earlier one is done.
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

namespace judge::util {

/// A reorder buffer: put(i, value) may be called for indices 0, 1, 2, ... in any order, from any thread, each
/// index once; `emit(i, value)` is called for 0, 1, 2, ... in order, each as soon as it and every index
/// before it have been put. Only the values put ahead of a missing index are held (in order of index), so
/// memory is the out-of-order window, not the whole run.
///
/// emit runs under the buffer's lock, on the thread whose put() completed the run of ready indices, so emits
/// never overlap and need no locking of their own. An exception thrown by emit propagates out of that put();
/// the value it was given is lost and the buffer emits nothing more (later puts only hold their values).
template <class T>
class ReorderBuffer {
 public:
  using Emit = std::function<void(std::size_t index, T&& value)>;
  explicit ReorderBuffer(Emit emit) : m_emit(std::move(emit)) {}

  /// Hands `value` of `index` in; emits it and every held value after it that is now in order.
  /// Precondition: `index` was not put before.
  void put(std::size_t index, T value) {
    const std::lock_guard lock(m_mutex);
    if (m_broken || index < m_next) return;
    m_held.emplace(index, std::move(value));
    for (auto it = m_held.begin(); it != m_held.end() && it->first == m_next; it = m_held.begin()) {
      T ready = std::move(it->second);
      m_held.erase(it);
      ++m_next;
      m_broken = true;  // stays set if emit throws
      m_emit(m_next - 1, std::move(ready));
      m_broken = false;
    }
  }

  /// The index emit waits for next (= how many values were emitted).
  std::size_t next() const {
    const std::lock_guard lock(m_mutex);
    return m_next;
  }
  /// How many values are held, waiting for an earlier index.
  std::size_t held() const {
    const std::lock_guard lock(m_mutex);
    return m_held.size();
  }

 private:
  Emit m_emit;
  mutable std::mutex m_mutex;
  std::map<std::size_t, T> m_held;
  std::size_t m_next = 0;
  bool m_broken = false;
};

}  // namespace judge::util
