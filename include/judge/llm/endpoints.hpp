// SPDX-License-Identifier: MIT
// Several endpoints (replicas of one model server) behind one judge: the base_url list, the choice of the
// endpoint for each call (fewest requests in flight), and rests with backoff for an endpoint that fails.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "judge/llm/provider.hpp"
#include "judge/llm/rate_limit.hpp"
#include "judge/llm/retry.hpp"

namespace judge::llm {

/// One entry of setting base_url's list.
struct EndpointSpec {
  std::string url;       ///< http:// or https:// URL, without the "#jobs=N" suffix
  std::size_t jobs = 0;  ///< most requests in flight to this endpoint; 0: no limit of its own
};

/// Setting base_url as a list: entries separated by commas (spaces around them ignored), each a URL starting
/// with http:// or https://, optionally followed by "#jobs=N" (N a whole number >= 1), e.g.
/// "http://gpu1:8000/v1#jobs=8, http://gpu2:8000/v1". "" gives an empty list. Throws judge::Error naming the
/// entry and saying what to write, for an entry that is empty between commas, not an http(s) URL, or has a
/// suffix other than "#jobs=N" with N >= 1.
std::vector<EndpointSpec> parse_endpoints(const std::string& text);

/// How long an endpoint rests after failures in a row: after the f-th, min(max_seconds, initial_seconds *
/// multiplier^(f-1)) seconds (1, 2, 4, ... 60 by default). No jitter: one client's rests do not need
/// spreading, and a rest ends with a single probe call (EndpointBalancer), not a burst.
struct RestPolicy {
  double initial_seconds = 1.0;
  double multiplier = 2.0;
  double max_seconds = 60.0;
};

/// The bookkeeping of several endpoints: which one the next call goes to, and which ones rest. No I/O, no
/// waiting, no lock (BalancedProvider holds one); times are seconds on any monotonic clock.
///
/// Why fewest in flight: replicas answer at different speeds (another tenant, a longer batch), and the number
/// of requests a replica still holds is the one signal a client has of that without measuring; a slow replica
/// keeps its calls longer and so is given fewer new ones ("join the shortest queue"). Ties go to the endpoint
/// that has started fewer calls, then the lower index, so light traffic still spreads over all of them.
/// Why rests: an endpoint that fails with a network or server error is probably down or overloaded; sending
/// it more calls only makes them fail too. It rests (gets no calls) with exponential backoff (RestPolicy);
/// when the rest is over it is on probation: one call at a time until a call succeeds, which ends the
/// probation.
class EndpointBalancer {
 public:
  /// One endpoint per entry of `caps`: its most requests in flight (0: no limit). Throws
  /// std::invalid_argument for an empty list.
  explicit EndpointBalancer(std::vector<std::size_t> caps, RestPolicy policy = {});
  std::size_t size() const { return m_endpoints.size(); }

  /// The endpoint for a call at time `now`, among those whose `tried` entry is false (`tried` has size()
  /// entries, or is empty for none tried): not resting (rest over by `now`), below its cap (1 while on
  /// probation), with the fewest requests in flight; ties as said above. nullopt when none is free.
  std::optional<std::size_t> pick(double now, const std::vector<bool>& tried = {}) const;
  /// A call to `i` starts (one more in flight).
  void start(std::size_t i);
  /// The call to `i` ended well (or failed in a way that says nothing about the endpoint): one fewer in
  /// flight; failures in a row back to 0 (probation over).
  void succeeded(std::size_t i);
  /// The call to `i` failed with a network or server error at time `now`: one fewer in flight, one more
  /// failure in a row, and `i` rests until now + the RestPolicy wait for that many failures (a later rest end
  /// already set is kept).
  void failed(std::size_t i, double now);
  /// The earliest time a resting endpoint whose `tried` entry is false stops resting, when any rests at
  /// `now`.
  std::optional<double> next_rest_end(double now, const std::vector<bool>& tried = {}) const;
  /// Whether an endpoint not tried and not resting at `now` is at its cap (a call ending would free it).
  bool any_busy(double now, const std::vector<bool>& tried = {}) const;

  std::size_t in_flight(std::size_t i) const { return m_endpoints.at(i).in_flight; }
  std::size_t started(std::size_t i) const { return m_endpoints.at(i).started; }
  int failures(std::size_t i) const { return m_endpoints.at(i).failures; }
  /// The time `i` rests until (a time in the past, or 0: not resting).
  double rest_until(std::size_t i) const { return m_endpoints.at(i).rest_until; }

 private:
  struct Endpoint {
    std::size_t cap = 0;
    std::size_t in_flight = 0;
    std::size_t started = 0;
    int failures = 0;  // in a row
    double rest_until = 0;
  };
  bool usable(std::size_t i, double now, const std::vector<bool>& tried) const;
  std::size_t cap(const Endpoint& e) const;

  std::vector<Endpoint> m_endpoints;
  RestPolicy m_policy;
};

/// Whether `error` says its endpoint is unwell, so another endpoint should take the call: a network error
/// (dropped or reset connection), a timeout, a server error (5xx), or nothing answering at the URL
/// (ProviderError::unreachable: connection refused, unknown host).
bool is_endpoint_failure(const ProviderError& error);

/// A ChatProvider over several endpoints serving the same model (one provider each, without retries). Each
/// call goes to the endpoint EndpointBalancer picks, waiting while every endpoint is at its cap or resting;
/// when it fails with an endpoint failure (is_endpoint_failure) that endpoint rests and the call is sent to
/// another endpoint it has not tried, so a call fails only when every endpoint failed it. Then the error
/// returned is a retryable one when any was (RetryingProvider tries again later), else the last (a refused
/// connection everywhere is kind config: the run stops, as with one endpoint); its message ends with
/// "(all N endpoints failed)". Other failures (bad_response, context_length, 4xx) are returned at once:
/// another endpoint would answer the same. Thread-safe.
class BalancedProvider : public ChatProvider {
 public:
  /// `endpoints` and `caps` have the same size (>= 1). `sleep` and `now` wait and read the time (tests inject
  /// a fake clock). Throws std::invalid_argument for sizes that differ or an empty list.
  BalancedProvider(std::string spec, std::vector<std::unique_ptr<ChatProvider>> endpoints,
                   std::vector<std::size_t> caps, RestPolicy rest = {}, SleepFunction sleep = sleep_seconds,
                   NowFunction now = steady_now);
  std::string spec() const override { return m_spec; }
  /// The first endpoint's: every endpoint serves the same spec.
  std::string cache_identity() const override { return m_endpoints.front()->cache_identity(); }
  ChatResult chat(const ChatRequest& request) override;
  /// Calls per endpoint so far (started), in the order given.
  std::vector<std::size_t> calls() const;

 private:
  std::string m_spec;
  std::vector<std::unique_ptr<ChatProvider>> m_endpoints;
  SleepFunction m_sleep;
  NowFunction m_now;
  mutable std::mutex m_mutex;
  std::condition_variable m_released;
  EndpointBalancer m_balancer;
};

}  // namespace judge::llm
