// SPDX-License-Identifier: MIT
#include "judge/llm/endpoints.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <utility>

#include "judge/llm/http_call.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::llm {

namespace {

constexpr const char* k_form = "write URL or URL#jobs=N, e.g. http://gpu1:8000/v1#jobs=8";

EndpointSpec parse_entry(std::string_view entry) {
  const std::string text(entry);
  if (!util::starts_with(text, "http://") && !util::starts_with(text, "https://"))
    throw Error("base_url entry \"" + text + "\" is not a URL starting with http:// or https:// (" + k_form +
                "; several URLs are separated by commas)");
  EndpointSpec spec;
  const auto hash = text.find('#');
  spec.url = text.substr(0, hash);
  if (hash == std::string::npos) return spec;
  const std::string suffix = text.substr(hash + 1);
  const std::string digits = util::starts_with(suffix, "jobs=") ? suffix.substr(5) : "";
  const bool whole =
      !digits.empty() && digits.size() <= 6 && digits.find_first_not_of("0123456789") == std::string::npos;
  if (!whole || std::strtoul(digits.c_str(), nullptr, 10) == 0)
    throw Error("base_url entry \"" + text + "\": \"#" + suffix +
                "\" is not #jobs=N with N a whole number of 1 or more (" + k_form + ")");
  spec.jobs = std::strtoul(digits.c_str(), nullptr, 10);
  return spec;
}

}  // namespace

std::vector<EndpointSpec> parse_endpoints(const std::string& text) {
  std::vector<EndpointSpec> out;
  if (util::trim(text).empty()) return out;
  std::size_t from = 0;
  for (;;) {
    const auto comma = text.find(',', from);
    const auto entry = util::trim(
        std::string_view(text).substr(from, comma == std::string::npos ? std::string::npos : comma - from));
    if (entry.empty())
      throw Error("base_url \"" + text + "\" has an empty entry between commas (" + k_form +
                  ", separated by commas)");
    out.push_back(parse_entry(entry));
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return out;
}

EndpointBalancer::EndpointBalancer(std::vector<std::size_t> caps, RestPolicy policy) : m_policy(policy) {
  if (caps.empty()) throw std::invalid_argument("EndpointBalancer: no endpoint");
  for (const std::size_t c : caps) m_endpoints.push_back(Endpoint{c});
}

std::size_t EndpointBalancer::cap(const Endpoint& e) const {
  if (e.failures > 0) return 1;  // on probation
  return e.cap;
}

bool EndpointBalancer::usable(std::size_t i, double now, const std::vector<bool>& tried) const {
  return (tried.empty() || !tried[i]) && m_endpoints[i].rest_until <= now;
}

std::optional<std::size_t> EndpointBalancer::pick(double now, const std::vector<bool>& tried) const {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < m_endpoints.size(); ++i) {
    const Endpoint& e = m_endpoints[i];
    if (!usable(i, now, tried)) continue;
    if (const std::size_t c = cap(e); c > 0 && e.in_flight >= c) continue;
    if (!best) {
      best = i;
      continue;
    }
    const Endpoint& b = m_endpoints[*best];
    if (e.in_flight < b.in_flight || (e.in_flight == b.in_flight && e.started < b.started)) best = i;
  }
  return best;
}

void EndpointBalancer::start(std::size_t i) {
  Endpoint& e = m_endpoints.at(i);
  ++e.in_flight;
  ++e.started;
}

void EndpointBalancer::succeeded(std::size_t i) {
  Endpoint& e = m_endpoints.at(i);
  if (e.in_flight > 0) --e.in_flight;
  e.failures = 0;
}

void EndpointBalancer::failed(std::size_t i, double now) {
  Endpoint& e = m_endpoints.at(i);
  if (e.in_flight > 0) --e.in_flight;
  ++e.failures;
  const double rest = std::min(m_policy.max_seconds,
                               m_policy.initial_seconds * std::pow(m_policy.multiplier, e.failures - 1));
  e.rest_until = std::max(e.rest_until, now + rest);
}

std::optional<double> EndpointBalancer::next_rest_end(double now, const std::vector<bool>& tried) const {
  std::optional<double> earliest;
  for (std::size_t i = 0; i < m_endpoints.size(); ++i) {
    if ((!tried.empty() && tried[i]) || m_endpoints[i].rest_until <= now) continue;
    if (!earliest || m_endpoints[i].rest_until < *earliest) earliest = m_endpoints[i].rest_until;
  }
  return earliest;
}

bool EndpointBalancer::any_busy(double now, const std::vector<bool>& tried) const {
  for (std::size_t i = 0; i < m_endpoints.size(); ++i) {
    if (!usable(i, now, tried)) continue;
    const std::size_t c = cap(m_endpoints[i]);
    if (c > 0 && m_endpoints[i].in_flight >= c) return true;
  }
  return false;
}

bool is_endpoint_failure(const ProviderError& error) {
  return error.unreachable || error.kind == ErrorKind::network || error.kind == ErrorKind::timeout ||
         error.kind == ErrorKind::server;
}

namespace {

std::vector<std::size_t> checked_caps(std::size_t endpoints, std::vector<std::size_t> caps) {
  if (endpoints == 0 || endpoints != caps.size())
    throw std::invalid_argument("BalancedProvider: one cap per endpoint, and at least one endpoint");
  return caps;
}

}  // namespace

BalancedProvider::BalancedProvider(std::string spec, std::vector<std::unique_ptr<ChatProvider>> endpoints,
                                   std::vector<std::size_t> caps, RestPolicy rest, SleepFunction sleep,
                                   NowFunction now)
    : m_spec(std::move(spec)),
      m_endpoints(std::move(endpoints)),
      m_sleep(std::move(sleep)),
      m_now(std::move(now)),
      m_balancer(checked_caps(m_endpoints.size(), std::move(caps)), rest) {}

std::vector<std::size_t> BalancedProvider::calls() const {
  const std::lock_guard lock(m_mutex);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < m_balancer.size(); ++i) out.push_back(m_balancer.started(i));
  return out;
}

ChatResult BalancedProvider::chat(const ChatRequest& request) {
  const std::size_t n = m_endpoints.size();
  std::vector<bool> tried(n, false);
  std::size_t tried_count = 0;
  std::optional<ChatResult> retryable, last;  // the failures so far
  std::unique_lock lock(m_mutex);
  while (tried_count < n) {
    const double now = m_now();
    const auto pick = m_balancer.pick(now, tried);
    if (!pick) {
      const auto rest_end = m_balancer.next_rest_end(now, tried);
      if (m_balancer.any_busy(now, tried)) {  // a call ending frees an endpoint; a rest may end before
        if (rest_end)
          m_released.wait_for(lock, std::chrono::duration<double>(*rest_end - now));
        else
          m_released.wait(lock);
      } else if (rest_end) {  // every endpoint left rests: wait for the first to be over
        lock.unlock();
        m_sleep(*rest_end - now);
        lock.lock();
      } else {
        break;  // cannot happen: an endpoint not tried is free, busy or resting
      }
      continue;
    }
    const std::size_t i = *pick;
    m_balancer.start(i);
    lock.unlock();
    ChatResult result = m_endpoints[i]->chat(request);
    lock.lock();
    if (result.ok() || !is_endpoint_failure(*result.error)) {
      m_balancer.succeeded(i);
      m_released.notify_all();
      return result;
    }
    m_balancer.failed(i, m_now());
    m_released.notify_all();
    tried[i] = true;
    ++tried_count;
    if (is_retryable(result.error->kind)) retryable = result;
    last = std::move(result);
  }
  if (!last) return chat_error(ErrorKind::config, m_spec + ": no endpoint to call");  // not reached
  ChatResult out = retryable ? std::move(*retryable) : std::move(*last);
  if (n > 1) out.error->message += " (all " + std::to_string(n) + " endpoints failed)";
  return out;
}

}  // namespace judge::llm
