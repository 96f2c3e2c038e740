// SPDX-License-Identifier: MIT
#include "judge/cli/cli.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "judge/cli/commands.hpp"
#include "judge/llm/command.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"
#include "judge/util/version.hpp"

namespace judge::cli {

bool stdout_is_terminal() { return ::isatty(1) == 1; }
bool stderr_is_terminal() { return ::isatty(2) == 1; }

namespace {

// The candidate `word` seems a misspelling of: the nearest by util::typo_distance (a swap of neighbours is
// one edit: "alling" is 2 from "align"), the first of those at the least distance, when that is at most two
// edits and fewer than the word's length (`xy` is no misspelt `eval`); "" when none is that near.
std::string closest_word(std::string_view word, const std::vector<std::string>& candidates) {
  std::string closest;
  std::size_t best = 3;
  for (const auto& c : candidates) {
    const std::size_t d = util::typo_distance(word, c);
    if (d < best && d < word.size()) best = d, closest = c;
  }
  return closest;
}

// When a word stands where a subcommand is required but names none ("judge evl", "judge memory shw"), the
// message "unknown command 'evl'; did you mean 'eval'?" (or the list of commands when none is close);
// otherwise "". CLI11 only says "A subcommand is required" there. The command groups take no option values,
// so every word not starting with '-' in that position is meant as a subcommand.
std::string unknown_command(const CLI::App& app, int argc, char** argv) {
  const CLI::App* level = &app;
  std::string prefix;  // the subcommands already matched, "memory "
  for (int i = 1; i < argc && level->get_require_subcommand_min() > 0; ++i) {
    const std::string word = argv[i];
    if (word.starts_with('-')) continue;
    const auto subs = level->get_subcommands([](const CLI::App*) { return true; });
    const auto match =
        std::find_if(subs.begin(), subs.end(), [&](const CLI::App* s) { return s->check_name(word); });
    if (match != subs.end()) {
      level = *match;
      prefix += word + " ";
      continue;
    }
    std::string names;
    std::vector<std::string> commands;
    for (const CLI::App* s : subs) {
      names += (names.empty() ? "" : ", ") + s->get_name();
      commands.push_back(s->get_name());
    }
    const std::string closest = closest_word(word, commands);
    const std::string head = "unknown command '" + prefix + word + "'; ";
    return closest.empty() ? head + "commands: " + names : head + "did you mean '" + prefix + closest + "'?";
  }
  return "";
}

// When CLI11 found arguments it did not expect and some of them are options the command lacks ("--rater",
// "--fail_if=mae>1"), the message that says so in our words: "unknown option --rater; did you mean
// --raters?", with the closest long option the command given takes (at most two edits away, and fewer than
// the word's length); "unknown options: --fail_if (did you mean --fail-if?), --seeds (did you mean
// --seed?)" for several, each word once. CLI11 only says "The following arguments were not expected: house
// --rater" (ExtrasError), listing the misspelt option's value ("house", the argument after it when the
// option it stands for takes a value) as a word of its own, or, when a required option is missing too, only
// that ("--labels is required", checked before the extras: `--label X` for `--labels X`). A word CLI11 did
// not expect that is neither such an option nor its value is said after ("; not expected either: extra").
// Where a required option is missing, only words close to a required option not given count, and CLI11's
// message comes first unless a misspelt word stands for the option it names ("--labels is required;
// unknown option --notebok; did you mean --notebooks?"); where "A subcommand is required", words close to an
// option that stands instead of one (`judge --verion`: --version). "" when no word is close to an option:
// CLI11's message stands. Any other error ("--bootstrap: Value 0 not in range ...") is not caused by a
// misspelt option, and a message naming one would read as its cause: "" then (the next run, once that error
// is fixed, names the word).
std::string unknown_options(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  const bool named = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr;  // the message lists the words
  if (!named && dynamic_cast<const CLI::RequiredError*>(&e) == nullptr) return "";
  struct Misspelt {
    std::string word, closest;
    bool takes_value = false;  // the closest option takes a value
  };
  // Each word is matched with the options of the command it was typed after ("judge --verion eval":
  // the top level's; "judge memory --verion": memory's), which CLI11 keeps with that command's unexpected
  // words (App::remaining(false)), and the options of its parents it falls through to.
  std::vector<Misspelt> found;
  std::vector<std::string> others;  // the other words CLI11 did not take
  for (const CLI::App* level = &app; level;) {
    std::vector<std::pair<std::string, const CLI::Option*>> names;  // "--raters": the command's long options
    std::vector<std::string> missing;  // "--labels", those of them required and not given
    for (const CLI::App* a = level; a; a = a->get_fallthrough() ? a->get_parent() : nullptr)
      for (const CLI::Option* o : a->get_options())
        for (const auto& n : o->get_lnames()) {
          names.emplace_back("--" + n, o);
          if (o->get_required() && o->count() == 0) missing.push_back("--" + n);
        }
    const bool no_subcommand = level->get_require_subcommand_min() > 0;  // "A subcommand is required"
    for (const std::string& given : level->remaining(false)) {  // the arguments CLI11 did not take, in order
      const std::string word = given.substr(0, given.find('='));
      const CLI::Option* closest = nullptr;
      std::string closest_name;
      const std::size_t first_letter = word.find_first_not_of('-');
      const bool known =
          std::any_of(names.begin(), names.end(), [&](const auto& n) { return n.first == word; });
      if (word.starts_with('-') && word.size() >= 3 && first_letter != std::string::npos && !known) {
        // Fewer edits than the word has letters (its dashes aside): `--xx` is no misspelt `--k`.
        const std::size_t letters = word.size() - first_letter;
        std::size_t best = 3;
        for (const auto& [n, o] : names) {
          const std::size_t d = util::edit_distance(word, n);
          if (d < best && d < letters) best = d, closest = o, closest_name = n;
        }
      }
      const bool counts =
          closest && (named || no_subcommand ||
                      std::find(missing.begin(), missing.end(), closest_name) != missing.end());
      if (!counts) {
        others.push_back(given);
      } else if (std::none_of(found.begin(), found.end(),
                              [&](const Misspelt& f) { return f.word == word; })) {
        found.push_back({word, closest_name, closest->get_expected_max() > 0});
      }
    }
    const auto subs = level->get_subcommands();
    level = subs.empty() ? nullptr : subs.front();
  }
  if (found.empty()) return "";
  // A misspelt option's value: the argument after it in argv, when the option it stands for takes a value,
  // it was not written --opt=value, and that argument is no option (a negative number is a value). It is
  // left out of the words not expected when CLI11 took no argument of that text but as a known option's value
  // (the argument after an option the command has that takes one): where it took one as a positional, it
  // cannot tell which, and naming a word twice beats hiding one.
  const auto count_in = [](const std::vector<std::string>& words, const std::string& w) {
    return static_cast<std::size_t>(std::count(words.begin(), words.end(), w));
  };
  std::set<std::string> valued;  // "--folds", "-k": the given commands' options that take a value
  for (const CLI::App* level = &app; level;) {
    for (const CLI::Option* o : level->get_options())
      if (o->get_expected_max() > 0) {
        for (const auto& n : o->get_lnames()) valued.insert("--" + n);
        for (const auto& n : o->get_snames()) valued.insert("-" + n);
      }
    const auto subs = level->get_subcommands();
    level = subs.empty() ? nullptr : subs.front();
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::map<std::string, std::size_t> values, known_values;  // per text: after a misspelt / a known option
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    const std::string& next = args[i + 1];
    const bool option_like =
        next.starts_with('-') && !(next.size() > 1 && std::isdigit(static_cast<unsigned char>(next[1])));
    if (option_like) continue;
    if (std::any_of(found.begin(), found.end(),
                    [&](const Misspelt& f) { return f.word == args[i] && f.takes_value; }))
      ++values[next];
    else if (valued.count(args[i]))
      ++known_values[next];
  }
  for (const auto& [v, n] : values) {
    const std::size_t left = count_in(others, v);
    if (left == 0 || count_in(args, v) - left != known_values[v]) continue;  // none left, or a positional
    for (std::size_t drop = std::min(n, left); drop > 0; --drop)
      others.erase(std::find(others.begin(), others.end(), v));
  }
  std::string out;
  if (found.size() == 1) {
    out = "unknown option " + found[0].word + "; did you mean " + found[0].closest + "?";
  } else {
    out = "unknown options: ";
    for (std::size_t i = 0; i < found.size(); ++i) {
      out += i ? ", " : "";
      out += found[i].word;
      out += " (did you mean ";
      out += found[i].closest;
      out += "?)";
    }
  }
  // A required option missing that no misspelt word stands for ("validate --notebok nb": --labels) is said
  // first, as CLI11 says it.
  if (!named) {
    const std::string what = e.what();
    const bool explained = std::any_of(found.begin(), found.end(), [&](const Misspelt& f) {
      return what.starts_with(f.closest + " is required") || what.starts_with(f.closest + ",");
    });
    // (Where a subcommand is required, the words counted stand instead of one: they explain it.)
    if (!explained && !what.starts_with("A subcommand is required")) out = what + "; " + out;
  }
  if (named && !others.empty()) {
    out += "; not expected either:";
    for (const auto& w : others) {
      out += ' ';
      out += w;
    }
  }
  return out;
}

// CLI11's "Could not convert: --folds = four" (ConversionError) in our words: "--folds: \"four\" is not a
// whole number", naming what the option takes (its type: INT, UINT, FLOAT); "" for any other error, or a
// message of another shape.
std::string conversion_message(const CLI::App& app, const CLI::ParseError& e) {
  if (dynamic_cast<const CLI::ConversionError*>(&e) == nullptr) return "";
  const std::string what = e.what();
  const std::string head = "Could not convert: ";
  const auto eq = what.find(" = ");
  if (!what.starts_with(head) || eq == std::string::npos) return "";
  const std::string name = what.substr(head.size(), eq - head.size());
  const std::string value = what.substr(eq + 3);
  const CLI::Option* option = nullptr;  // in the command given, or a parent (options fall through)
  for (const CLI::App* level = &app; level;) {
    if (const CLI::Option* o = level->get_option_no_throw(name)) option = o;
    const auto subs = level->get_subcommands();
    level = subs.empty() ? nullptr : subs.front();
  }
  if (!option) return "";
  const std::string type = option->get_type_name();
  const bool whole = type.starts_with("UINT") || type.starts_with("INT");
  const std::string kind = whole ? "a whole number" : type.starts_with("FLOAT") ? "a number" : "";
  if (kind.empty()) return "";
  // Digits alone that did not convert are too many for the option's type ("2147483648" for an int).
  const std::string digits = value.starts_with('-') ? value.substr(1) : value;
  if (whole && !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      }))
    return name + ": \"" + value + "\" is out of range";
  return name + ": \"" + value + "\" is not " + kind;
}

// On SIGINT or SIGTERM: kills the process groups of the command judges judge started (each runs in its own
// group, so a terminal's Ctrl-C never reaches them, and they would run on, orphaned, until their timeout),
// then exits 128 + the signal (130, 143), the code a shell gives a process that signal killed. The signals
// are blocked before any thread starts (threads inherit the mask; the command provider unblocks them in its
// programs) and taken by one thread with sigwait, so the work runs as ordinary code, not in a signal handler.
// A signal ignored when judge starts (SIGINT for a `cmd &` in a script) stays ignored. Output files are never
// half-written: they are replaced by rename.
void stop_children_on_interrupt() {
  sigset_t signals;
  sigemptyset(&signals);
  bool any = false;
  for (const int sig : {SIGINT, SIGTERM}) {
    struct sigaction action {};
    if (::sigaction(sig, nullptr, &action) == 0 && action.sa_handler == SIG_IGN) continue;
    sigaddset(&signals, sig);
    any = true;
  }
  if (!any || ::pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) return;
  std::thread([signals] {
    int sig = 0;
    while (::sigwait(&signals, &sig) != 0) {
    }
    llm::kill_running_commands();
    std::fputs(sig == SIGINT ? "judge: interrupted\n" : "judge: terminated\n", stderr);
    std::_Exit(128 + sig);
  }).detach();
}

// Flushes standard output and says whether everything written to it arrived: a full disk or /dev/full
// (ENOSPC), a closed terminal (EIO) lose the data, and the run must not exit 0 then. Prints the error, with
// its cause when the final flush is what failed; a write that failed earlier (output past the stdio buffer)
// left only the stream's error flag, so the message is then "write error", as coreutils' close_stdout says.
bool flush_stdout() {
  errno = 0;
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  const int error = errno;
  if (flushed && std::cout && !std::ferror(stdout)) return true;
  std::cerr << "judge: error: writing standard output: "
            << (error != 0 ? std::strerror(error) : "write error") << "\n";
  return false;
}

// Parses the command line and runs the subcommand; returns the exit code.
int parse_and_run(int argc, char** argv) {
  CLI::App app{
      "judge: score notebooks with LLM or offline judges, align judges with human feedback, and "
      "measure their agreement with people."};
  app.set_version_flag("--version", std::string("judge ") + std::string(util::version()));
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 a CI gate failed, 4 some items unscored, "
      "130/143 interrupted (SIGINT/SIGTERM).");
  RunFn command;
  setup_eval(app, command);
  setup_notebook(app, command);
  setup_align(app, command);
  setup_memory(app, command);
  setup_report(app, command);
  setup_merge(app, command);
  setup_validate(app, command);
  setup_config(app, command);
  setup_cache(app, command);
  setup_label(app, command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::string unknown = unknown_command(app, argc, argv);
    const std::string misspelt = unknown.empty() ? unknown_options(app, e, argc, argv) : "";
    const std::string converted = conversion_message(app, e);
    std::cerr << "judge: error: "
              << (!unknown.empty()    ? unknown
                  : !misspelt.empty() ? misspelt
                  : converted.empty() ? std::string(e.what())
                                      : converted)
              << "\n";
    std::cerr << "Run with --help for more information.\n";
    return static_cast<int>(ExitCode::usage);
  }
  try {
    if (!command) return static_cast<int>(ExitCode::ok);
    return command();
  } catch (const Error& e) {
    std::cerr << "judge: error: " << with_flags(e.message()) << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "judge: error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::runtime);
  }
}

}  // namespace

// IsMember's check and its help text ("{table,json,csv}"), its message ("cvs not in {table,json,csv}") with
// the name the value seems a misspelling of, case aside (closest_word: "cvs", "CSV" are csv), appended as the
// unknown options' is: "; did you mean csv?". CLI11 words it "--format: cvs not in ...; did you mean csv?".
CLI::Validator one_of(const std::vector<std::string>& names) {
  const CLI::Validator member = CLI::IsMember(names);
  return CLI::Validator(
      [member, names](std::string& value) {
        std::string message = member(value);
        if (message.empty()) return message;
        if (const std::string closest = closest_word(util::to_lower(value), names); !closest.empty()) {
          message += "; did you mean ";
          message += closest;
          message += '?';
        }
        return message;
      },
      member.get_description(), member.get_name());
}

CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        const auto first = value.find_first_not_of(" \t");
        if (first != std::string::npos && value[first] == '-')
          return "\"" + value + "\" is negative; give a whole number from 0";
        return "";
      },
      "", "non-negative");
}

CLI::Validator confidence_level() {
  const CLI::Range range(0.5, 0.9999);
  return CLI::Validator(
      [range](std::string& value) -> std::string {
        if (range(value).empty()) return "";
        char* end = nullptr;
        const double v = std::strtod(value.c_str(), &end);
        std::string message = "\"" + value + "\" is not a level from 0.5 to 0.9999";
        if (!value.empty() && *end == '\0' && v >= 50 && v <= 99.99) {  // a percent whose level is in range
          std::ostringstream level;
          level << v / 100;
          message += " (" + level.str() + " for " + value + "%)";
        }
        return message;
      },
      range.get_description(), "confidence");
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty())
    std::cout << text;
  else
    util::write_file_atomic(path, text, util::MissingFolders::refuse);
}

// Lower modules know settings, the CLI knows their flags: each flag is the setting's name with "--" in
// front and '-' for '_'.
std::string with_flags(const std::string& message) {
  return word_settings(message, [](std::string_view setting) {
    std::string flag = "--" + std::string(setting);
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
  });
}

int run(int argc, char** argv) {
  stop_children_on_interrupt();
  const int code = parse_and_run(argc, argv);
  // One place for every subcommand (and --help): output that did not arrive is a runtime error, whatever
  // the subcommand returned (a gate's verdict or an unscored count means little without its output).
  return flush_stdout() ? code : static_cast<int>(ExitCode::runtime);
}

}  // namespace judge::cli
