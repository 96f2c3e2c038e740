// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "judge/memory/embedding.hpp"
#include "judge/memory/fact_rule.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::memory {

/// A guideline of semantic memory: one short rule for judging one dimension, distilled from human feedback
/// (or written by hand). `cites` are label ids ("notebook#dimension#rater") it came from.
struct Guideline {
  std::string dimension;
  std::string text;
  std::vector<std::string> cites;
  /// "reflection" (distilled by the reflection model), "extractive" (offline distiller), "learnt" (a rule
  /// of the offline judge fitted by align from facts and labels, see fact_rule.hpp; align refits these) or
  /// "manual" (written by a person; kept whatever happens to its citations). A guideline without `source` in
  /// the file is manual. A text starting with "when " is a rule (FactRule), whatever its source.
  std::string source = "manual";
  /// Its line in guidelines.yaml (1-based, the line of its `text`), for messages: the file's line when the
  /// memory was loaded, the line it will have once saved after set_guidelines; 0 when unknown.
  int line = 0;
};

/// An episode of episodic memory: one labelled (notebook, dimension) after the rater policy resolved its
/// labels. The judge's own verdict is the one it gave at alignment time, without memory.
struct Episode {
  /// Whether the verdict (judge_status, judge_score, judge_rationale) is the memory's judge's (memory.json
  /// `judge`); see verdict_judge.
  bool own_verdict() const { return verdict_judge.empty(); }

  std::string id;  ///< "notebook#dimension"
  std::string notebook;
  std::string dimension;
  std::optional<double> human_score;  ///< nullopt = N/A
  std::string feedback;               ///< the labels' feedback, one line per label when several
  std::vector<std::string> labels;    ///< label ids the episode came from (sorted)
  verdict::Status judge_status = verdict::Status::unscored;  ///< in the file: verdict::to_string
  std::optional<double> judge_score;
  std::string judge_rationale;
  std::string excerpt;            ///< the part of the notebook that matters for the dimension (see excerpt())
  std::string label_fingerprint;  ///< sha256 of the labels it came from (score, feedback): change detection
  std::string notebook_hash;      ///< sha256 of the notebook file when it was aligned
  bool distilled = false;         ///< its labels' feedback went through distillation
  Vector vector;                  ///< embedding of `excerpt` (kept in vectors.jsonl, not episodes.jsonl)
  /// The notebook's named facts at alignment (scoring::notebook_facts; empty unless aligned with the
  /// heuristic judge): learnt rules are applied to them so the episodic blend corrects what the rules left.
  std::map<std::string, double> facts;
  /// Empty: the verdict is the memory's judge's. Else the judge (spec) that gave it, another one: align kept
  /// the episode from an earlier run with another judge because its notebook could not be judged this time
  /// (unreadable, or left out by the caller). Such a verdict is not the memory judge's, so nothing uses it as
  /// such: learnt rules, blend weights, calibration and contrast examples leave it out (its human label and
  /// feedback still count); the next align that reads the notebook judges it again. In the file: the judge
  /// object's `spec`, written only when not empty (older files have none).
  std::string verdict_judge;
};

/// One retrieved episode. `episode` points into the Memory and lives as long as it is not modified.
struct Retrieved {
  const Episode* episode = nullptr;
  double similarity = 0;  ///< cosine similarity of the query and the episode's excerpt, in [-1, 1]
};

/// How far the heuristic judge's memory blend goes on one dimension, measured at alignment by leave-one-out
/// over the episodes (scoring::calibrate_memory); kept in memory.json, editable. 1 = follow memory fully.
/// The default, for a weight that was not learnt (a dimension absent from memory.json's blend_weights, or a
/// field absent from its entry), is 0: memory leaves the rule verdict alone.
struct BlendWeight {
  double score = 0;  ///< weight of the memory's correction of the rule score, in [0, 1]
  double na = 0;     ///< 1: memory may overturn the rule's N/A decision; 0: it may not
  /// Why align could not learn the score weight ("1 episode, at least 2 needed"), which is then 0; empty when
  /// it was learnt (or the memory was aligned before reasons were kept). memory.json's `unlearnt`.
  std::string unlearnt = {};
};

/// The most episodes a retrieval may ask for (top-k): the k setting and memory.json's `k` are 1..k_max_k.
inline constexpr int k_max_k = 1000;

/// Provenance kept in memory.json.
struct Provenance {
  std::string judge;       ///< judge spec whose own verdicts the episodes hold
  std::string reflection;  ///< reflection model spec; empty = offline extractive distiller
  std::string embeddings = "hashed-tfidf";
  std::string labels_file;  ///< label file as given to align
  std::string labels_hash;  ///< sha256 of the label file text
  std::string rubric_id;
  std::string rubric_hash;
  std::string rater_policy = "mean";
  int k = 5;            ///< episodes retrieved per (notebook, dimension) unless eval's -k says otherwise
  std::string created;  ///< UTC, ISO 8601
  std::string updated;  ///< UTC, ISO 8601
};

/// What judge align wrote of one dimension's learnt rules, kept in memory.json (`learnt_rules`) so that the
/// next align tells a learnt rule a person edited or deleted from one it wrote itself (docs/memory.md,
/// Editing).
struct LearntRecord {
  /// The texts of the learnt rules align wrote (Guideline::text, comment included), in file order.
  std::vector<std::string> written;
  /// Rules (format_fact_rule, no comment) align learnt but leaves out because a person edited or deleted the
  /// learnt rule it had written: it does not write back a rule of the same facts, tests and action.
  std::vector<std::string> withheld;
  /// Learnt rules (format_fact_rule, no comment) that rest on few labels (align::fragile_rules, worked out
  /// when align or forget fitted them), each with what judge align says of it ("does not learn it without
  /// the label of ..."): judge memory show prints it under the rule. In memory.json `rests_on_few_labels`:
  /// {"RULE": "WHY"}, absent when none.
  std::map<std::string, std::string> fragile;
};

/// A tombstone: something `judge memory forget` removed, kept in memory.json (`forgotten`) so that `judge
/// align` leaves the labels it matches out until `judge memory unforget` clears it. Exactly one of
/// `notebook` and `label` is set.
struct Forgotten {
  /// A citation forget took out of a guideline it kept (a person's), so that unforget can put it back.
  struct Citation {
    std::string dimension;
    std::string text;  ///< the guideline's text when forget ran: unforget puts the label back where it is
    std::string cite;  ///< the label id taken out
  };
  std::string notebook;         ///< a notebook path as the labels give it: every label of that notebook
  std::string label;            ///< a label id "notebook#dimension#rater": that label only
  std::string time;             ///< UTC, ISO 8601, when it was forgotten
  std::vector<Citation> cites;  ///< in memory.json `cites`: [{"dimension", "text", "cite"}], absent when none
};

/// What Memory::load does with a folder whose files come from different saves (an interrupted save).
enum class Recovery {
  refuse,        ///< throw a judge::Error naming the folder and saying "re-run judge align"
  drop_vectors,  ///< keep memory.json and episodes.jsonl as they are, ignore vectors.jsonl (align re-embeds)
};

/// Aligned memory: semantic (guidelines per dimension) and episodic (labelled examples with embeddings).
/// Files in a folder (docs/memory.md): memory.json, guidelines.yaml, episodes.jsonl, vectors.jsonl.
/// Reading (guidelines, retrieve) is thread-safe; modifying is not.
class Memory {
 public:
  /// An empty memory embedding with `embeddings_spec` (see make_embedder; `embedding_settings` for a
  /// provider's base URL, timeouts and dimensions).
  explicit Memory(const std::string& embeddings_spec = "hashed-tfidf",
                  const llm::ProviderSettings& embedding_settings = {});
  ~Memory();
  Memory(Memory&&) noexcept;
  Memory& operator=(Memory&&) noexcept;

  /// Reads a memory folder. Collects every problem (file:line: what) and throws one judge::Error.
  /// A folder without memory.json is an error naming it (run judge align first). The manifest read is that
  /// of the last save to get past guidelines.yaml: memory.json, or the memory.json.next a save cut short
  /// left (see save). Files from different saves
  /// (memory.json's `digest` differs from the one in the headers of episodes.jsonl and vectors.jsonl, or one
  /// of them is missing) are handled as `recovery` says; a folder without any digest (written before digests
  /// existed) is read unchecked. An embeddings provider recorded in it is made with `embedding_settings`
  /// (base URL, timeouts, dimensions). Episodes and vectors that do not pair up although the digests agree
  /// (an episode line deleted or added by hand) are, with Recovery::refuse, problems ("vectors.jsonl:3:
  /// vector of unknown episode ...") followed by one saying to run judge align; with
  /// Recovery::drop_vectors, handled as an interrupted save (vectors.jsonl ignored, recovered() true).
  /// A calibration.json in the folder is checked too (calibration_digest): one edited by hand, or fitted on
  /// another save of the memory, is with Recovery::refuse an error saying so; with Recovery::drop_vectors it
  /// is left for the caller (align), which fits it again, and calibration_stale() is true.
  static Memory load(const std::filesystem::path& dir, Recovery recovery = Recovery::refuse,
                     const llm::ProviderSettings& embedding_settings = {});
  /// Writes the four files atomically each, stable key order, schema_version 1; a writer holds the folder's
  /// WriteLock (write_lock.hpp) from before load to after save. Crash safety (docs/memory.md, "Crash
  /// safety"): the manifest is staged first as memory.json.next, then guidelines.yaml, episodes.jsonl and
  /// vectors.jsonl are replaced, and last memory.json.next is renamed to memory.json. The manifest carries
  /// the digest (sha256) of the episode and vector lines, which episodes.jsonl and vectors.jsonl carry in
  /// their headers too, and `guidelines_digest`, the sha256 of the guidelines.yaml it wrote. A save cut short
  /// before guidelines.yaml is replaced leaves the previous save whole (the staged manifest is ignored, and
  /// removed by settle_save); one cut short after that is described by the staged manifest (load reads it
  /// instead of memory.json; settle_save renames it), whose learnt-rule record is the one guidelines.yaml was
  /// written with, and files not yet replaced leave digests that disagree, which load detects.
  void save(const std::filesystem::path& dir) const;
  /// True when load(dir, Recovery::drop_vectors) found an interrupted save, or episodes and vectors that do
  /// not pair up, and dropped the vectors.
  bool recovered() const { return m_recovered; }
  /// True when load(dir, Recovery::drop_vectors) found a calibration.json that does not match the memory.
  bool calibration_stale() const { return m_calibration_stale; }
  /// Why the vectors were dropped, for a warning ("it was left inconsistent by an interrupted save", or
  /// "episodes.jsonl and vectors.jsonl hold different episodes (FILE:LINE: ...)"); empty when not recovered.
  const std::string& recovery_reason() const { return m_recovery_reason; }

  /// Guidelines of `dimension`, in file order (hand-written ones included).
  std::vector<Guideline> guidelines(const std::string& dimension) const;
  /// The guidelines of `dimension` written as rules (is_fact_rule), parsed, in file order. Texts that do not
  /// parse were refused by load; here they are skipped. Parsed once when the guidelines are loaded or set,
  /// not per call (the judge asks for every verdict); valid until the guidelines change. Each rule's
  /// `source` is its guideline's, except a learnt rule edited by hand (edited_by_hand): "manual".
  const std::vector<FactRule>& fact_rules(const std::string& dimension) const;
  /// Episodes retrieve() passes over (true: skip it), e.g. the judged notebook's own; empty: none.
  using Skip = std::function<bool(const Episode&)>;
  /// The k episodes of `dimension` most similar to `query_text` (cosine of embeddings), most similar first;
  /// ties broken by episode id. Episodes `skip` names are passed over, so k others come back when there are
  /// k others. Fewer when the dimension has fewer episodes.
  std::vector<Retrieved> retrieve(const std::string& dimension, const std::string& query_text, int k,
                                  const Skip& skip = {}) const;
  /// As retrieve, with a query already embedded by embedder().
  std::vector<Retrieved> retrieve(const std::string& dimension, const Vector& query, int k,
                                  const Skip& skip = {}) const;

  /// The excerpt of `nb` for `dimension` cut the way alignment cut the episodes' excerpts (with the
  /// dimension's vocabulary recorded at alignment); use it as the query text of retrieve().
  std::string excerpt(const notebook::Notebook& nb, const std::string& dimension) const;
  /// Words that pick the excerpt of each dimension (dimension_vocabulary of the rubric at alignment).
  const std::map<std::string, std::vector<std::string>>& vocabulary() const { return m_vocabulary; }
  void set_vocabulary(std::map<std::string, std::vector<std::string>> vocabulary) {
    m_vocabulary = std::move(vocabulary);
  }

  /// Blend weights per dimension; a dimension without one uses BlendWeight{} (0: not learnt).
  const std::map<std::string, BlendWeight>& blend_weights() const { return m_blend; }
  void set_blend_weights(std::map<std::string, BlendWeight> weights) { m_blend = std::move(weights); }

  const std::vector<Guideline>& all_guidelines() const { return m_guidelines; }
  const std::vector<Episode>& episodes() const { return m_episodes; }
  const Episode* find_episode(const std::string& id) const;
  const Embedder& embedder() const { return *m_embedder; }
  Embedder& embedder() { return *m_embedder; }
  Provenance& provenance() { return m_provenance; }
  const Provenance& provenance() const { return m_provenance; }

  /// Replaces all guidelines / episodes (align and forget use these); rebuilds the retrieval index.
  void set_guidelines(std::vector<Guideline> guidelines);
  void set_episodes(std::vector<Episode> episodes);
  /// Switches to another embedder; every episode's vector is cleared (align embeds them again).
  void set_embedder(std::unique_ptr<Embedder> embedder);

  /// Label ids still present: the union of the episodes' labels.
  std::vector<std::string> live_labels() const;

  /// What align wrote of the learnt rules, per dimension; nullopt for a memory saved before it was kept
  /// (align then takes every learnt rule for its own, as it did).
  const std::optional<std::map<std::string, LearntRecord>>& learnt_record() const { return m_learnt; }
  /// Also re-indexes the rules: a learnt rule the record shows edited by hand is a person's (fact_rules).
  void set_learnt_record(std::map<std::string, LearntRecord> record) {
    m_learnt = std::move(record);
    index_fact_rules();
  }
  /// True when `g` is a learnt rule whose text align did not write (learnt_record): a person edited it (or
  /// wrote it with `source: learnt`). The next align keeps it as a manual rule, and forget keeps it as it
  /// keeps manual guidelines. false without a record.
  bool edited_by_hand(const Guideline& g) const;

  /// Tombstones, in the order they were recorded.
  const std::vector<Forgotten>& forgotten() const { return m_forgotten; }
  void set_forgotten(std::vector<Forgotten> forgotten) { m_forgotten = std::move(forgotten); }
  /// True when a tombstone names the label `label_id` or its notebook `notebook`.
  bool is_forgotten(const std::string& notebook, const std::string& label_id) const;

 private:
  struct Index;
  void rebuild_index();
  void index_fact_rules();

  Provenance m_provenance;
  std::vector<Guideline> m_guidelines;
  /// The learnt rules of m_guidelines, parsed once per change of them, by dimension (fact_rules).
  std::map<std::string, std::vector<FactRule>> m_fact_rules;
  std::vector<Episode> m_episodes;  ///< sorted by id
  std::map<std::string, std::vector<std::string>> m_vocabulary;
  std::map<std::string, BlendWeight> m_blend;
  std::vector<Forgotten> m_forgotten;
  std::optional<std::map<std::string, LearntRecord>> m_learnt;
  bool m_recovered = false;
  bool m_calibration_stale = false;
  std::string m_recovery_reason;
  std::unique_ptr<Embedder> m_embedder;
  std::unique_ptr<Index> m_index;
};

/// What `judge memory forget` removed.
struct ForgetResult {
  std::size_t episodes_removed = 0;
  std::size_t guidelines_removed = 0;
  std::size_t learnt_rules_removed = 0;  ///< of guidelines_removed, the learnt rules (`source: learnt`)
  std::size_t citations_removed = 0;     ///< citations of the forgotten labels taken from guidelines kept
  std::set<std::string> dimensions;      ///< the dimensions of the episodes removed
};

/// Removes the episodes of the given notebooks (exact paths as the labels give them) and those that came
/// from the given label ids, then every non-manual guideline that cites a label no episode left holds (its
/// text may come from that label's feedback); the episodes of the other labels such a guideline cited are
/// marked undistilled, so the next align distills them again. Manual guidelines always stay, and so do
/// learnt rules a person edited (Memory::edited_by_hand), without their citations of the labels forgotten
/// (those given, and those of the notebooks given; another rater's label of an episode removed stays cited);
/// a learnt rule removed leaves the learnt record.
/// Records a tombstone (time: now) for each notebook and label id given that has none yet, so that align
/// keeps them out; each citation taken from a guideline kept is recorded in the tombstone of its notebook
/// (or, forgotten by --label alone, of its label id), an existing one too, for unforget. When anything
/// changed, the provenance's `updated` is now (the tombstones' time), as align sets it; `created` stays.
ForgetResult forget(Memory& memory, const std::vector<std::string>& notebooks,
                    const std::vector<std::string>& label_ids);

/// What `judge memory unforget` did.
struct UnforgetResult {
  std::size_t tombstones = 0;          ///< tombstones removed
  std::size_t citations_restored = 0;  ///< citations forget took out, put back into their guidelines
  /// Citations not put back: their guideline (same dimension and text) is no longer in guidelines.yaml (a
  /// person edited or deleted it since forget), or already cites the label again.
  std::vector<Forgotten::Citation> not_restored;
};

/// Removes the tombstones of the given notebooks (with every label tombstone of those notebooks) and of the
/// given label ids; the next align admits their labels again. The citations those tombstones recorded go
/// back to the end of the `cites` of the guideline they came from, when guidelines.yaml still has it (same
/// dimension and text); those of a label whose notebook stays forgotten move to the notebook's tombstone
/// (the label is still out), and a recorded cite that is no label of its tombstone is dropped. When any
/// tombstone went, the provenance's `updated` is now.
UnforgetResult unforget(Memory& memory, const std::vector<std::string>& notebooks,
                        const std::vector<std::string>& label_ids);

/// The digest that ties a calibration.json to the save of the memory in `dir` it was fitted on: SHA-256 (hex)
/// of memory.json's `digest`, a line break and `content` (calibration.json's JSON without its own "digest",
/// dumped compactly with keys sorted); "" when `dir` holds no memory.json. Stored in calibration.json's
/// "digest" and checked by Memory::load, so a calibration edited by hand, or left from another save, is
/// detected like the other files.
std::string calibration_digest(const std::filesystem::path& dir, const std::string& content);

/// Finishes or discards what a save cut short left in `dir` (see Memory::save): a staged memory.json.next
/// that describes the folder is renamed to memory.json (the folder then reads as load read it before);
/// one left before its save replaced guidelines.yaml is deleted (the previous save stays, whole). Nothing
/// when there is none. Called by a writer holding the folder's lock (WriteLock does, once it has it), never
/// by a reader. Throws judge::Error naming the file when it cannot be renamed or deleted.
void settle_save(const std::filesystem::path& dir);

/// The paths among `candidates` that the notebook path `given` names: the candidate equal to it, else every
/// candidate ending with it on whole path components ("titanic.ipynb" and "ipynb/titanic.ipynb" match
/// "data/ipynb/titanic.ipynb"; "anic.ipynb" does not), else every candidate the given path ends with on
/// whole components (the path as given to judge eval, "examples/notebooks/x.ipynb", names "x.ipynb"). A
/// leading "./" of either is ignored (util::notebook_name). Sorted, without duplicates; empty when none.
std::vector<std::string> match_notebook(const std::string& given, const std::vector<std::string>& candidates);

}  // namespace judge::memory
