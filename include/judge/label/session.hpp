// SPDX-License-Identifier: MIT
// A labelling session: the notebooks, the rubric, the judges' verdicts, memory and the labels file that
// `judge label` serves, and the active-labelling queue over them. The HTTP layer (server.hpp) only turns
// requests into calls of this class and its answers into JSON.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "judge/label/queue.hpp"
#include "judge/label/store.hpp"
#include "judge/memory/memory.hpp"
#include "judge/notebook/notebook.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/scoring/judge.hpp"
#include "judge/verdict/verdict.hpp"

namespace judge::label {

struct SessionOptions {
  std::filesystem::path notebooks_dir;              ///< every notebook under it is served (read_path's walk)
  std::filesystem::path labels_file;                ///< read when it exists, written at every save
  std::vector<std::filesystem::path> scores_files;  ///< judge eval output (any number; each may hold judges)
  std::filesystem::path memory_dir;                 ///< empty: no memory
  std::string rater;                                ///< the rater whose labels are edited
  int k = 3;                                        ///< similar episodes shown per dimension
};

/// One judge's verdict on a (notebook, dimension), from a scores file or the heuristic judge run on the fly.
struct ShownVerdict {
  std::string judge;
  verdict::Status status = verdict::Status::unscored;
  std::optional<double> score;
  std::string rationale;
  std::optional<double> spread;  ///< the samples' spread, when the scores file records one
};

class Session {
 public:
  /// Reads the notebooks, the labels file, the scores files and memory. Throws judge::Error (naming the
  /// file and what to do) for a notebooks folder that does not exist, a labels file that is a JSON array
  /// (LabelStore), a scores file with problems (a score off the rubric's scale among them, FILE:LINE each)
  /// and a memory that cannot be loaded.
  /// Notebooks that cannot be read and problems of the labels file are not errors: warnings() lists them,
  /// the page shows them, and a labels file with problems is not written until they are fixed.
  Session(SessionOptions options, rubric::Rubric rubric);
  ~Session();

  /// What stderr says at startup: unreadable notebooks, score records of no served notebook, labels
  /// problems (with their lines), one a line.
  std::vector<std::string> warnings() const;

  /// GET /api/session: rater, labels file, rubric (scale, N/A, dimensions with their level texts), labels
  /// problems, whether memory and scores are there.
  nlohmann::ordered_json session_json() const;
  /// GET /api/notebooks: every notebook served, in order, with its error when unreadable and how many
  /// dimensions this rater labelled.
  nlohmann::ordered_json notebooks_json() const;
  /// GET /api/notebook?name=: the notebook rendered (cells numbered as judges cite them, outputs cut as an
  /// LLM judge's prompt cuts them, PNG/JPEG outputs of .ipynb files as data URLs, secrets masked, cells
  /// flagged for prompt injection), the judges' verdicts, the similar episodes of memory and the labels of
  /// every rater, per dimension; nullopt for an unknown name.
  std::optional<nlohmann::ordered_json> notebook_json(const std::string& name) const;
  /// GET /api/label?notebook=&dimension=: this rater's label with its version (null when none); the caller
  /// answers an unknown notebook or dimension (has_notebook, has_dimension) first.
  nlohmann::ordered_json label_json(const std::string& notebook, const std::string& dimension) const;
  /// PUT /api/label.
  SaveResult save(const SaveRequest& request);
  /// The active-labelling queue over the (notebook, dimension) pairs no rater has labelled, readable
  /// notebooks only (queue.hpp says how it is ordered); at most `limit` items (0: all).
  std::vector<QueueItem> queue(std::size_t limit) const;
  /// Whether `name` is a notebook served and readable (one that can be labelled).
  bool has_notebook(const std::string& name) const;
  /// Whether `id` is a dimension of the rubric.
  bool has_dimension(const std::string& id) const;
  /// "did you mean \"model_training\"?" for an unknown dimension `id` near one of the rubric's; "" when none
  /// is.
  std::string dimension_hint(const std::string& id) const;

  const LabelStore& store() const { return *m_store; }

 private:
  struct Entry {
    std::string name;  ///< relative to the notebooks folder: the labels' `notebook`
    std::string file;  ///< the file it was read from
    std::optional<notebook::Notebook> nb;
    std::string error;  ///< why it cannot be read
    std::string hash;   ///< sha256 of the file
  };
  const Entry* find(const std::string& name) const;
  /// The verdicts shown for a notebook: the scores files' records, else the heuristic judge's (cached).
  std::map<std::string, std::vector<ShownVerdict>> verdicts(const Entry& e) const;

  /// An episode of memory close to a notebook: its similarity and human score (nullopt = N/A).
  struct Neighbour {
    double similarity = 0;
    std::optional<double> human_score;
  };
  /// The 3 episodes of `dimension` in memory closest to the notebook (its own left out), closest first;
  /// memory does not change during a session, so they are retrieved once.
  std::vector<Neighbour> neighbours(const Entry& e, const std::string& dimension) const;

  SessionOptions m_options;
  rubric::Rubric m_rubric;
  std::vector<Entry> m_entries;
  std::unique_ptr<LabelStore> m_store;
  std::optional<memory::Memory> m_memory;
  std::unique_ptr<scoring::Judge> m_heuristic;
  /// (notebook name, dimension) -> the verdicts of the scores files
  std::map<std::pair<std::string, std::string>, std::vector<ShownVerdict>> m_scores;
  std::vector<std::string> m_warnings;
  mutable std::mutex m_cache_mutex;
  mutable std::map<std::string, std::vector<verdict::Verdict>> m_heuristic_cache;
  mutable std::map<std::pair<std::string, std::string>, std::vector<Neighbour>> m_neighbour_cache;
};

/// The user name of the process ($USER, else the password database, else "expert"): the default rater.
std::string default_rater();

}  // namespace judge::label
