// SPDX-License-Identifier: MIT
// judge label: experts label notebooks in the browser (a local page served by judge::label::Server), or,
// with --next N, the active-labelling queue printed for scripts (docs/label.md).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "judge/cli/commands.hpp"
#include "judge/cli/judge_setup.hpp"
#include "judge/label/server.hpp"
#include "judge/label/session.hpp"
#include "judge/util/error.hpp"

extern char** environ;

namespace judge::cli {

namespace {

struct LabelOptions {
  label::SessionOptions session;
  std::string notebooks_dir, labels_file, memory_dir;
  std::vector<std::string> scores_files;
  std::string host = "127.0.0.1";
  int port = 0;
  bool open = false;
  int next = -1;          // --next N: print the queue's first N (0: all) instead of serving
  std::string format;     // --next: table | jsonl (empty: table on a terminal, jsonl otherwise)
  SettingFlags settings;  // rubric and --config
};

// --next: the queue, one JSON object a line (rank, notebook, dimension, value, its terms, reason), or a
// table.
void print_queue(const std::vector<label::QueueItem>& items, const std::string& format) {
  int rank = 0;
  for (const auto& q : items) {
    ++rank;
    if (format == "jsonl") {
      nlohmann::ordered_json j{{"rank", rank},
                               {"notebook", q.notebook},
                               {"dimension", q.dimension},
                               {"value", q.value},
                               {"uncertainty", q.uncertainty},
                               {"novelty", q.novelty},
                               {"difficulty", q.difficulty},
                               {"reason", q.reason}};
      std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    } else {
      std::cout << rank << ". " << q.notebook << "  " << q.dimension << "\n   " << q.reason << "\n";
    }
  }
  if (items.empty())
    std::cerr << "judge label: the queue is empty: every (notebook, dimension) has a label\n";
}

// --open: the desktop's browser (xdg-open), not waited for; a failure is a warning (the URL is printed).
void open_browser(const std::string& url) {
  pid_t pid = 0;
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const int rc = ::posix_spawnp(&pid, "xdg-open", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) std::cerr << "judge: warning: --open: cannot start xdg-open; open " << url << " yourself\n";
}

int run_label(LabelOptions opt) {
  const Config config = opt.settings.load();
  opt.session.notebooks_dir = opt.notebooks_dir;
  opt.session.labels_file = opt.labels_file;
  opt.session.memory_dir = opt.memory_dir;
  for (const auto& s : opt.scores_files) opt.session.scores_files.emplace_back(s);
  if (opt.session.rater.empty()) opt.session.rater = label::default_rater();
  label::Session session(opt.session, configured_rubric(config));
  for (const auto& w : session.warnings()) std::cerr << "judge: warning: " << w << "\n";
  if (opt.next >= 0) {
    const std::string format = !opt.format.empty() ? opt.format : stdout_is_terminal() ? "table" : "jsonl";
    print_queue(session.queue(static_cast<std::size_t>(opt.next)), format);
    return static_cast<int>(ExitCode::ok);
  }
  label::Server server(session,
                       [](const std::string& line) { std::cerr << "judge label: " << line << "\n"; });
  const int port = server.bind(opt.host, opt.port);
  if (!server.loopback_only())
    std::cerr << "judge: warning: --host " << opt.host
              << " is not a loopback address: the page is shared with the network, and anyone who can reach "
                 "this machine can read the notebooks and save labels (there is no login)\n";
  const std::string host = opt.host.find(':') != std::string::npos ? "[" + opt.host + "]" : opt.host;
  const std::string url = "http://" + (opt.host == "0.0.0.0" ? std::string("127.0.0.1") : host) + ":" +
                          std::to_string(port) + "/";
  std::cout << url << std::endl;
  std::cerr << "judge label: labelling as rater " << opt.session.rater << "; every save goes to "
            << opt.labels_file << " at once; Ctrl-C stops the server\n";
  if (opt.open) open_browser(url);
  server.run();
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

void setup_label(CLI::App& app, RunFn& run) {
  auto opt = std::make_shared<LabelOptions>();
  auto* cmd = app.add_subcommand("label",
                                 "Label notebooks in the browser: a local page shows each notebook, the "
                                 "rubric and the judge's verdicts; "
                                 "scores and feedback are saved to the labels file at once (--next N: print "
                                 "the active-labelling queue)");
  cmd->add_option("--notebooks", opt->notebooks_dir, "Folder of the notebooks to label")->required();
  cmd->add_option("--labels", opt->labels_file,
                  "Labels file (CSV or JSON Lines, as judge align reads it): read when it exists, written at "
                  "every save")
      ->required();
  cmd->add_option("--scores", opt->scores_files,
                  "judge eval output whose verdicts are shown (repeatable: several judges); default: the "
                  "heuristic judge's, computed on the fly");
  cmd->add_option("--memory", opt->memory_dir,
                  "Aligned memory folder: its most similar labelled episodes are shown, and the queue asks "
                  "first where none is close");
  cmd->add_option("--rater", opt->session.rater,
                  "Rater id written with every label (default: the user name)");
  cmd->add_option("--host", opt->host, "Address to listen on (loopback unless you mean to share the page)")
      ->capture_default_str();
  cmd->add_option("--port", opt->port, "Port to listen on (0: a free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_flag("--open", opt->open, "Open the page in the desktop's browser (xdg-open)");
  cmd->add_option("-k,--similar", opt->session.k,
                  "Similar labelled episodes shown per dimension (with --memory)")
      ->check(CLI::Range(1, 50))
      ->capture_default_str();
  auto* next = cmd->add_option("--next", opt->next,
                               "Print the first N items of the active-labelling queue (0: all) and exit, "
                               "instead of serving (docs/label.md says how it is ordered)")
                   ->check(CLI::NonNegativeNumber);
  cmd->add_option("--format", opt->format,
                  "With --next: table or jsonl (default: table on a terminal, jsonl "
                  "otherwise)")
      ->check(one_of({"table", "jsonl"}))
      ->needs(next);
  auto* settings = &opt->settings;
  cmd->add_option("--config", settings->config_file,
                  "Configuration file (default: ./judge.yaml when present)");
  cmd->add_option_function<std::string>(
      "--rubric", [settings](const std::string& v) { settings->flags["rubric"] = v; },
      "Rubric YAML file (setting rubric; default: the built-in ml-notebook rubric)");
  cmd->callback([&run, opt] { run = [opt] { return run_label(*opt); }; });
}

}  // namespace judge::cli
