// SPDX-License-Identifier: MIT
#include "judge/scoring/llm_judge.hpp"

#include <cmath>

#include "judge/memory/memory.hpp"
#include "judge/scoring/memory_blend.hpp"
#include "judge/scoring/memory_section.hpp"
#include "judge/scoring/redact.hpp"
#include "judge/scoring/reply.hpp"
#include "judge/util/error.hpp"
#include "judge/util/hash.hpp"
#include "judge/util/version.hpp"

namespace judge::scoring {

namespace {

// What one call (with its one re-ask) produced for each dimension of its group.
struct Attempt {
  std::vector<ParsedVerdict> parsed;
  llm::Usage usage;
  double latency_seconds = 0;
  int calls = 0;
  bool cached = true;
};

std::vector<ParsedVerdict> parse_for(const std::string& content, const rubric::Rubric& rubric,
                                     const std::vector<const rubric::Dimension*>& group) {
  if (group.size() == 1) return {parse_reply(content, rubric, *group.front())};
  return parse_batch_reply(content, rubric, group);
}

// Calls the provider; throws for failures that must stop the run, else returns the result.
llm::ChatResult call(llm::ChatProvider& provider, const llm::ChatRequest& request, Attempt& attempt) {
  auto result = provider.chat(request);
  llm::stop_if_fatal(provider.spec(), result);
  ++attempt.calls;
  if (!result.response) {
    attempt.cached = false;
    if (result.error) attempt.latency_seconds += result.error->latency_seconds;  // a failure takes time too
  }
  if (result.response) {
    attempt.usage.input_tokens += result.response->usage.input_tokens;
    attempt.usage.output_tokens += result.response->usage.output_tokens;
    attempt.latency_seconds += result.response->latency_seconds;
    attempt.cached = attempt.cached && result.response->from_cache;
  }
  return result;
}

std::string provider_error_text(const llm::ProviderError& e) {
  if (e.kind == llm::ErrorKind::not_in_cache) return "not in cache";
  return std::string("provider error (") + llm::to_string(e.kind) + "): " + e.message;
}

// One call with the re-ask: a reply whose verdicts are not all usable is answered with the errors stated,
// and the second reply's verdicts replace the failed ones (a batch keeps the dimensions that were fine).
Attempt ask(llm::ChatProvider& provider, llm::ChatRequest request, const rubric::Rubric& rubric,
            const std::vector<const rubric::Dimension*>& group) {
  Attempt a;
  auto fail_all = [&](const std::string& why) {
    a.parsed.assign(group.size(), ParsedVerdict{});
    for (auto& p : a.parsed) p.error = why;
  };
  auto first = call(provider, request, a);
  if (!first.ok()) {
    fail_all(provider_error_text(*first.error));
    return a;
  }
  a.parsed = parse_for(first.response->content, rubric, group);
  std::string errors;
  for (std::size_t i = 0; i < group.size(); ++i)
    if (!a.parsed[i].ok)
      errors +=
          (errors.empty() ? "" : "; ") + (group.size() > 1 ? group[i]->id + ": " : "") + a.parsed[i].error;
  if (errors.empty()) return a;

  request.messages.push_back({"assistant", first.response->content});
  request.messages.push_back({"user", prompt::retry_message(errors)});
  auto second = call(provider, request, a);
  if (!second.ok()) {
    for (auto& p : a.parsed)
      if (!p.ok) p.error += "; asked again: " + provider_error_text(*second.error);
    return a;
  }
  const auto again = parse_for(second.response->content, rubric, group);
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (a.parsed[i].ok) continue;
    a.parsed[i] = again[i].ok ? again[i]
                              : ParsedVerdict{false, false, std::nullopt, "",
                                              "no valid score after asking again: " + again[i].error};
  }
  return a;
}

// Several samples of one dimension -> one verdict: the mean of the numeric scores with their population
// standard deviation as the spread; N/A when most usable samples say N/A; unscored when none is usable.
Verdict combine(const std::string& dimension, const std::vector<ParsedVerdict>& samples,
                bool record_samples) {
  Verdict v;
  v.dimension = dimension;
  std::vector<double> scores;
  std::size_t na = 0;
  nlohmann::ordered_json listed = nlohmann::ordered_json::array();
  for (const auto& s : samples) {
    if (!s.ok) {
      listed.push_back(nullptr);
      continue;
    }
    if (s.not_applicable) {
      ++na;
      listed.push_back("N/A");
    } else {
      scores.push_back(*s.score);
      listed.push_back(*s.score);
    }
    if (v.rationale.empty()) v.rationale = s.rationale;
  }
  if (scores.empty() && na == 0) {
    v.status = Status::unscored;
    v.error = samples.front().error;
  } else if (na > scores.size()) {
    v.status = Status::not_applicable;
  } else {
    double mean = 0, var = 0;
    for (double s : scores) mean += s;
    mean /= static_cast<double>(scores.size());
    for (double s : scores) var += (s - mean) * (s - mean);
    v.status = Status::scored;
    v.score = mean;
    if (record_samples) v.extra["spread"] = std::sqrt(var / static_cast<double>(scores.size()));
  }
  if (record_samples) v.extra["samples"] = listed;
  return v;
}

}  // namespace

LlmJudge::LlmJudge(std::shared_ptr<llm::ChatProvider> provider, LlmJudgeOptions options)
    : m_provider(std::move(provider)), m_options(std::move(options)) {
  if (m_options.samples < 1) throw Error(setting("samples") + " must be at least 1", ExitCode::usage);
}

std::vector<std::vector<const rubric::Dimension*>> LlmJudge::groups(const rubric::Rubric& rubric) const {
  std::vector<std::vector<const rubric::Dimension*>> out;
  if (m_options.batch_dimensions) out.emplace_back();
  for (const auto& d : rubric.dimensions) {
    if (m_options.batch_dimensions)
      out.front().push_back(&d);
    else
      out.push_back({&d});
  }
  return out;
}

prompt::MemorySection LlmJudge::memory_of(const LlmJudgeOptions& options, const notebook::Notebook& nb,
                                          const std::vector<const rubric::Dimension*>& group,
                                          const MemoryUse& context) {
  if (group.size() != 1) return {};
  return options.memory ? options.memory(nb, *group.front(), context)
                        : memory_section(nb, *group.front(), context, options.memory_options);
}

std::string LlmJudge::memory_prompt(const LlmJudgeOptions& options, const notebook::Notebook& nb,
                                    const rubric::Dimension& dimension, const MemoryUse& context) {
  notebook::Notebook sent = nb;  // as prepare() makes it
  if (options.redact) redact_notebook(sent);
  return prompt::memory_text(memory_of(options, sent, {&dimension}, context));
}

prompt::RenderedNotebook LlmJudge::notebook_as_sent(const LlmJudgeOptions& options,
                                                    const notebook::Notebook& nb,
                                                    const std::vector<const rubric::Dimension*>& dimensions) {
  notebook::Notebook sent = nb;  // as prepare() makes it; build_judge_prompt renders it so
  if (options.redact) redact_notebook(sent);
  return prompt::render_notebook(sent, dimensions, options.render);
}

std::vector<llm::ChatRequest> LlmJudge::requests(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                                 const std::vector<const rubric::Dimension*>& group,
                                                 const prompt::MemorySection& memory,
                                                 const std::vector<prompt::InjectionFinding>& flagged) const {
  const auto p = prompt::build_judge_prompt(nb, rubric, group, memory, m_options.render, flagged);
  llm::ChatRequest base;
  base.messages = {{"system", p.system}, {"user", p.user}};
  base.temperature = m_options.effective_temperature();
  base.max_tokens = m_options.max_tokens;
  base.response_schema = prompt::verdict_schema(rubric, group);
  std::vector<llm::ChatRequest> out;
  for (int s = 0; s < m_options.samples; ++s) {
    out.push_back(base);
    // Distinct seeds make the samples distinct requests, so the cache keeps each one.
    if (m_options.samples > 1) out.back().seed = s + 1;
  }
  return out;
}

std::vector<Verdict> LlmJudge::score_group(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                           const std::vector<const rubric::Dimension*>& group,
                                           const MemoryUse& context,
                                           const std::vector<prompt::InjectionFinding>& flagged) {
  std::vector<std::vector<ParsedVerdict>> per_dim(group.size());
  llm::Usage usage;
  double latency = 0;
  bool cached = true;
  const auto memory = memory_of(m_options, nb, group, context);
  for (const auto& request : requests(nb, rubric, group, memory, flagged)) {
    const Attempt a = ask(*m_provider, request, rubric, group);
    for (std::size_t i = 0; i < group.size(); ++i) per_dim[i].push_back(a.parsed[i]);
    usage.input_tokens += a.usage.input_tokens;
    usage.output_tokens += a.usage.output_tokens;
    latency += a.latency_seconds;
    cached = cached && a.cached;
  }
  std::vector<Verdict> out;
  for (std::size_t i = 0; i < group.size(); ++i) {
    Verdict v = combine(group[i]->id, per_dim[i], m_options.samples > 1);
    v.extra["tokens"] = {{"input", usage.input_tokens}, {"output", usage.output_tokens}};
    v.extra["latency_s"] = latency;
    v.extra["cached"] = cached;
    if (!memory.empty()) {
      nlohmann::ordered_json used = nlohmann::ordered_json::array();
      for (const auto& e : memory.episodes) used.push_back(e.notebook + "#" + group[i]->id);
      v.extra["episodes"] = used;
      v.extra["guidelines"] = memory.guidelines.size();
    }
    if (group.size() == 1 && context.memory && context.use_episodes && !context.own_episodes)
      v.extra["episodes_left_out"] = own_episode_count(nb, group[i]->id, context);
    out.push_back(std::move(v));
  }
  return out;
}

std::shared_ptr<const LlmJudge::Prepared> LlmJudge::prepare(const notebook::Notebook& nb) const {
  const std::string key = util::sha256_hex(nb.path + "\n" + notebook::render_text(nb));
  std::promise<std::shared_ptr<const Prepared>> promise;
  std::shared_future<std::shared_ptr<const Prepared>> scanned_elsewhere;
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_prepared.find(key); it != m_prepared.end())
      scanned_elsewhere = it->second;
    else
      m_prepared.emplace(key, promise.get_future().share());
  }
  if (scanned_elsewhere.valid()) return scanned_elsewhere.get();  // waits without holding the lock
  auto p = std::make_shared<Prepared>();
  p->sent = nb;
  p->redactions = m_options.redact ? redact_notebook(p->sent) : 0;
  p->injections = prompt::detect_injection(nb);
  promise.set_value(p);
  return p;
}

std::vector<Verdict> LlmJudge::score(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                     const MemoryUse& context) {
  const auto prepared = prepare(nb);
  const auto provenance_json = provenance(rubric, !prepared->injections.empty());
  std::vector<Verdict> out;
  for (const auto& group : groups(rubric)) {
    auto verdicts = score_group(prepared->sent, rubric, group, context, prepared->injections);
    flag_injection(prepared->injections, verdicts);
    for (auto& v : verdicts) {
      v.extra["redactions"] = prepared->redactions;
      v.extra["provenance"] = provenance_json;
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::vector<PlannedCall> LlmJudge::plan(const notebook::Notebook& nb, const rubric::Rubric& rubric,
                                        const MemoryUse& context) const {
  const auto prepared = prepare(nb);
  std::vector<PlannedCall> out;
  for (const auto& group : groups(rubric)) {
    const auto memory = memory_of(m_options, prepared->sent, group, context);
    const std::size_t memory_tokens = prompt::estimate_tokens(prompt::memory_text(memory));
    for (auto& r : requests(prepared->sent, rubric, group, memory, prepared->injections))
      out.push_back({std::move(r), memory_tokens});
  }
  return out;
}

nlohmann::ordered_json LlmJudge::provenance(const rubric::Rubric& rubric, bool flagged) const {
  nlohmann::ordered_json p;
  p["tool_version"] = std::string(util::version());
  p["judge"] = spec();
  p["model_params"] = {{"temperature", m_options.effective_temperature()},
                       {"max_tokens", m_options.max_tokens},
                       {"samples", m_options.samples},
                       {"batch_dimensions", m_options.batch_dimensions},
                       {"token_budget", m_options.render.token_budget},
                       {"redact", m_options.redact},
                       {"memory_budget", m_options.memory_options.budget},
                       {"contrastive_episodes", m_options.memory_options.contrastive_episodes}};
  p["rubric_hash"] = rubric.hash;
  p["prompt_template_hash"] = prompt::template_hash(m_options.memory_options.contrastive_episodes, flagged);
  return p;
}

}  // namespace judge::scoring
