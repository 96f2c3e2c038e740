// SPDX-License-Identifier: MIT
// judge label's HTTP API, talked to over loopback with cpp-httplib's client, as the page talks to it.
#include "judge/label/server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "../support.hpp"
#include "judge/labels/labels.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"

using namespace judge::label;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A 1x1 PNG, split over two lines in the notebook as nbformat writes long base64.
const std::string k_png_a = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4";
const std::string k_png_b = "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

// examples/notebooks copied, plus a notebook with a PNG output and a copy of churn_good (7 readable
// notebooks, 63 (notebook, dimension) pairs), and a broken one.
struct Served {
  judge::test::TempDir dir{"judge_label_server"};
  fs::path notebooks = dir / "nb";
  fs::path labels = dir / "labels.csv";
  std::unique_ptr<Session> session;
  std::unique_ptr<Server> server;
  std::unique_ptr<httplib::Client> client;
  int port = 0;
  std::vector<std::string> log;
  std::mutex log_mutex;

  explicit Served(const std::string& labels_text = "", std::vector<fs::path> scores = {}) {
    fs::create_directories(notebooks);
    for (const auto& e : fs::directory_iterator(judge::test::source_dir() / "examples" / "notebooks"))
      fs::copy_file(e.path(), notebooks / e.path().filename());
    fs::copy_file(notebooks / "churn_good.ipynb", notebooks / "churn_copy.ipynb");
    const json plot = {
        {"nbformat", 4},
        {"nbformat_minor", 5},
        {"metadata", json::object()},
        {"cells",
         {{{"cell_type", "markdown"}, {"metadata", json::object()}, {"source", "# A plot"}},
          {{"cell_type", "code"},
           {"metadata", json::object()},
           {"execution_count", 1},
           {"source", "plt.plot([1, 2])"},
           {"outputs",
            {{{"output_type", "display_data"},
              {"metadata", json::object()},
              {"data", {{"text/plain", "<Figure>"}, {"image/png", {k_png_a + "\n", k_png_b + "\n"}}}}}}}}}}};
    std::ofstream(notebooks / "plot.ipynb") << plot.dump(1);
    std::ofstream(notebooks / "broken.ipynb") << "{\"nbformat\": 4, \"cells\": [";
    if (!labels_text.empty()) std::ofstream(labels) << labels_text;
    SessionOptions o;
    o.notebooks_dir = notebooks;
    o.labels_file = labels;
    o.rater = "expert";
    o.scores_files = std::move(scores);
    session = std::make_unique<Session>(o, judge::rubric::default_rubric());
    server = std::make_unique<Server>(*session, [this](const std::string& line) {
      std::lock_guard lock(log_mutex);
      log.push_back(line);
    });
    port = server->bind("127.0.0.1", 0);
    server->start();
    client = std::make_unique<httplib::Client>("127.0.0.1", port);
  }
  ~Served() { server->stop(); }

  json get(const std::string& path, int expect = 200) {
    const auto res = client->Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expect) << path << ": " << res->body;
    return json::parse(res->body);
  }
  std::pair<int, json> put(const json& body) { return put_with(*client, body); }
  static std::pair<int, json> put_with(httplib::Client& c, const json& body) {
    const auto res = c.Put("/api/label", body.dump(), "application/json");
    if (!res) return {0, nullptr};
    return {res->status, json::parse(res->body)};
  }
};

json label(const std::string& nb, const std::string& dim, const json& score, const std::string& feedback,
           const std::string& version = "") {
  return {
      {"notebook", nb}, {"dimension", dim}, {"score", score}, {"feedback", feedback}, {"version", version}};
}

}  // namespace

TEST(LabelServer, ServesThePageCompiledIn) {
  Served s;
  const auto page = s.client->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("<script src=\"/app.js\"></script>"), std::string::npos);
  const auto js = s.client->Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_NE(js->body.find("PUT"), std::string::npos);
  EXPECT_EQ(s.client->Get("/style.css")->status, 200);
  EXPECT_EQ(s.client->Get("/nothing")->status, 404);
  // Nothing on the page comes from elsewhere: offline.
  for (const auto& body : {page->body, js->body, s.client->Get("/style.css")->body})
    EXPECT_EQ(body.find("http://"), std::string::npos) << "an external address in a page asset";
}

TEST(LabelServer, ListsNotebooksWithTheUnreadableOneAndWhy) {
  Served s;
  const json list = s.get("/api/notebooks");
  std::vector<std::string> names;
  for (const auto& nb : list) names.push_back(nb["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"broken.ipynb", "churn_copy.ipynb", "churn_good.ipynb",
                                             "house_prices_average.ipynb", "iris_bad.ipynb", "plot.ipynb",
                                             "sales_eda_no_model.ipynb", "taxi_tips_databricks.py"}));
  EXPECT_FALSE(list[0]["readable"]);
  EXPECT_NE(list[0]["error"].get<std::string>().find("JSON"), std::string::npos) << list[0];
  EXPECT_TRUE(list[1]["readable"]);
  EXPECT_EQ(list[1]["dimensions"], 9);
  const auto warnings = s.session->warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("broken.ipynb"), std::string::npos);
  const json broken = s.get("/api/notebook?name=broken.ipynb");
  EXPECT_TRUE(broken.contains("error"));
  const json session = s.get("/api/session");
  EXPECT_EQ(session["rater"], "expert");
  EXPECT_EQ(session["rubric"]["dimensions"].size(), 9u);
  EXPECT_EQ(session["rubric"]["dimensions"][0]["levels"].size(), 3u);
  EXPECT_EQ(session["warnings"].size(), 1u);
}

TEST(LabelServer, ANotebookComesWithItsCellsImagesAndVerdicts) {
  Served s;
  // The cells, independently of the reader: the .ipynb's own cell list.
  const json file = json::parse(judge::util::read_file(s.notebooks / "iris_bad.ipynb"));
  const json nb = s.get("/api/notebook?name=iris_bad.ipynb");
  // The format by its name, as the page's header shows it ("ipynb, python, 23 cells").
  EXPECT_EQ(nb["format"], "ipynb");
  EXPECT_EQ(s.get("/api/notebook?name=taxi_tips_databricks.py")["format"], "databricks");
  ASSERT_EQ(nb["cells"].size(), file["cells"].size());
  for (std::size_t i = 0; i < file["cells"].size(); ++i) {
    EXPECT_EQ(nb["cells"][i]["number"], i + 1);
    EXPECT_EQ(nb["cells"][i]["type"], file["cells"][i]["cell_type"]);
  }
  // One heuristic verdict per dimension, computed on the fly.
  ASSERT_EQ(nb["verdicts"].size(), 9u);
  EXPECT_EQ(nb["verdicts"]["model_training"][0]["judge"], "heuristic");
  EXPECT_TRUE(nb["labels"].empty());

  const json plot = s.get("/api/notebook?name=plot.ipynb");
  ASSERT_EQ(plot["cells"].size(), 2u);
  EXPECT_EQ(plot["cells"][0]["type"], "markdown");
  EXPECT_EQ(plot["cells"][1]["outputs"][0]["image"], "data:image/png;base64," + k_png_a + k_png_b);
  EXPECT_EQ(s.get("/api/notebook?name=nope.ipynb", 404)["error"],
            "no notebook named \"nope.ipynb\" is served");
  s.get("/api/notebook", 400);
}

TEST(LabelServer, PutThenGetAndTheFileHasTheRow) {
  Served s;
  const auto [status, saved] = s.put(label("iris_bad.ipynb", "model_training", 1, "no split at all"));
  ASSERT_EQ(status, 200) << saved;
  EXPECT_EQ(saved["status"], "saved");
  const json got = s.get("/api/label?notebook=iris_bad.ipynb&dimension=model_training");
  EXPECT_EQ(got["label"]["score"], 1.0);
  EXPECT_EQ(got["label"]["feedback"], "no split at all");
  EXPECT_EQ(got["label"]["version"], saved["label"]["version"]);
  EXPECT_TRUE(s.get("/api/label?notebook=iris_bad.ipynb&dimension=model_use")["label"].is_null());
  // Names nothing can be labelled under are 404, as a PUT to them is.
  EXPECT_EQ(s.get("/api/label?notebook=nope.ipynb&dimension=model_use", 404)["error"],
            "no readable notebook named \"nope.ipynb\" is served");
  EXPECT_EQ(s.get("/api/label?notebook=iris_bad.ipynb&dimension=vibes", 404)["error"],
            "unknown dimension \"vibes\" (not in the rubric)");
  EXPECT_EQ(s.get("/api/label?notebook=iris_bad.ipynb&dimension=model_trainng", 404)["error"],
            "unknown dimension \"model_trainng\" (not in the rubric; did you mean \"model_training\"?)");
  const auto set = judge::labels::read_labels(s.labels, {&judge::rubric::default_rubric(), s.notebooks});
  ASSERT_EQ(set.labels.size(), 1u);
  EXPECT_EQ(set.labels[0].rater, "expert");
  EXPECT_EQ(set.labels[0].score, 1.0);
  // The notebook view shows it too, and the list counts it.
  EXPECT_EQ(s.get("/api/notebook?name=iris_bad.ipynb")["labels"]["model_training"]["feedback"],
            "no split at all");
  EXPECT_EQ(s.get("/api/notebooks")[4]["labelled"], 1);
  // N/A is null.
  EXPECT_EQ(s.put(label("iris_bad.ipynb", "mlflow_logging", nullptr, "no tracking needed")).first, 200);
  EXPECT_TRUE(
      s.get("/api/label?notebook=iris_bad.ipynb&dimension=mlflow_logging")["label"]["score"].is_null());
}

TEST(LabelServer, BadSavesAreRefusedWithAMessage) {
  Served s;
  auto [status, body] = s.put(label("iris_bad.ipynb", "model_training", 7, ""));
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body["error"], "not saved: score 7 is off the scale (1..3 or N/A)");
  std::tie(status, body) = s.put(label("iris_bad.ipynb", "model_training", "high", ""));
  EXPECT_EQ(status, 400);  // a key of the wrong type: a malformed request
  std::tie(status, body) = s.put(label("nope.ipynb", "model_training", 2, ""));
  EXPECT_EQ(status, 404);
  EXPECT_EQ(body["error"], "not saved: no readable notebook named \"nope.ipynb\" is served");
  std::tie(status, body) = s.put(label("broken.ipynb", "model_training", 2, ""));
  EXPECT_EQ(status, 404);
  const auto res = s.client->Put("/api/label", "{not json", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_FALSE(fs::exists(s.labels));
  std::lock_guard lock(s.log_mutex);
  ASSERT_EQ(s.log.size(), 5u);  // each refusal said on the log (stderr in the CLI), once, as answered
  EXPECT_EQ(s.log[0], "not saved: score 7 is off the scale (1..3 or N/A)");
  EXPECT_EQ(s.log[2], "not saved: no readable notebook named \"nope.ipynb\" is served");
}

TEST(LabelServer, AMalformedBodyIs400AndEveryRefusalSaysNotSaved) {
  Served s;
  const std::string shape =
      " (the body is a JSON object {\"notebook\": string, \"dimension\": string, \"score\": number or null "
      "for "
      "N/A, \"feedback\": string, \"version\": string})";
  // A key missing, or of the wrong type: 400, whatever the key.
  json no_score = label("iris_bad.ipynb", "model_training", 2, "");
  no_score.erase("score");
  auto [status, body] = s.put(no_score);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"], "not saved: missing key score" + shape);
  json no_dimension = label("iris_bad.ipynb", "model_training", 2, "");
  no_dimension.erase("dimension");
  std::tie(status, body) = s.put(no_dimension);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"], "not saved: missing key dimension" + shape);
  // A misspelt key is named with the key it probably is.
  json misspelt = label("iris_bad.ipynb", "model_training", 2, "");
  misspelt.erase("score");
  misspelt["scroe"] = 2;
  std::tie(status, body) = s.put(misspelt);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"], "not saved: missing key score (the body has \"scroe\": misspelt?)" + shape);
  std::tie(status, body) = s.put(label("iris_bad.ipynb", "model_training", "2", ""));
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"], "not saved: score \"2\" is not a number (or null for N/A)" + shape);
  json feedback_number = label("iris_bad.ipynb", "model_training", 2, "");
  feedback_number["feedback"] = 5;
  std::tie(status, body) = s.put(feedback_number);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"], "not saved: feedback 5 is not a string" + shape);
  const auto res = s.client->Put("/api/label", "[1, 2]", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"], "not saved: the body is not a JSON object" + shape);
  // 422: well formed, but off the scale or an unknown dimension.
  std::tie(status, body) = s.put(label("iris_bad.ipynb", "vibes", 2, ""));
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body["error"], "not saved: unknown dimension \"vibes\" (rubric ml-notebook)");
  // A misspelt one: the did-you-mean judge's --dimensions gives.
  std::tie(status, body) = s.put(label("iris_bad.ipynb", "model_trainng", 2, ""));
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body["error"],
            "not saved: unknown dimension \"model_trainng\" (rubric ml-notebook; did you mean "
            "\"model_training\"?)");
  EXPECT_FALSE(fs::exists(s.labels));
}

TEST(LabelServer, APutWithoutAVersionCreatesButDoesNotOverwrite) {
  Served s;
  json first = label("iris_bad.ipynb", "model_use", 2, "first");
  first.erase("version");
  const auto [created, saved] = s.put(first);
  ASSERT_EQ(created, 200) << saved;  // a new label needs no version
  const std::string version =
      s.get("/api/label?notebook=iris_bad.ipynb&dimension=model_use")["label"]["version"];
  ASSERT_EQ(version.size(), 16u);
  json again = label("iris_bad.ipynb", "model_use", 3, "second");
  again.erase("version");
  const auto [status, body] = s.put(again);
  EXPECT_EQ(status, 409);
  EXPECT_EQ(body["status"], "stale");
  EXPECT_EQ(body["error"], "not saved: this label exists (version " + version +
                               "); send its version to change it (GET /api/label gives it)");
  EXPECT_EQ(body["label"]["feedback"], "first");
  // With the version it is changed.
  again["version"] = version;
  EXPECT_EQ(s.put(again).first, 200);
  EXPECT_EQ(s.get("/api/label?notebook=iris_bad.ipynb&dimension=model_use")["label"]["feedback"], "second");
}

TEST(LabelServer, TwoTabsDoNotOverwriteEachOtherSilently) {
  Served s;
  // Both tabs loaded the page before any label existed (version "").
  ASSERT_EQ(s.put(label("iris_bad.ipynb", "model_use", 2, "tab one")).first, 200);
  const auto [status, body] = s.put(label("iris_bad.ipynb", "model_use", 3, "tab two"));
  EXPECT_EQ(status, 409);
  EXPECT_EQ(body["status"], "stale");
  EXPECT_EQ(body["label"]["feedback"], "tab one");
  EXPECT_NE(body["error"].get<std::string>().find("changed since the page loaded it"), std::string::npos);
  EXPECT_EQ(s.get("/api/label?notebook=iris_bad.ipynb&dimension=model_use")["label"]["feedback"], "tab one");
}

TEST(LabelServer, FiftySavesFromFiveClientsAtOnceLoseNothing) {
  Served s;
  const json list = s.get("/api/notebooks");
  std::vector<std::pair<std::string, std::string>> pairs;  // 7 readable notebooks x 9 dimensions
  for (const auto& nb : list)
    if (nb["readable"])
      for (const auto& d : judge::rubric::default_rubric().dimensions) pairs.emplace_back(nb["name"], d.id);
  ASSERT_GE(pairs.size(), 50u);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 5; ++c)
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", s.port);
      for (int i = 0; i < 10; ++i) {
        const auto& [nb, dim] = pairs[static_cast<std::size_t>(c * 10 + i)];
        const auto [status, body] = Served::put_with(
            client,
            label(nb, dim, 1 + (c + i) % 3, "client " + std::to_string(c) + " save " + std::to_string(i)));
        if (status == 200) ++ok;
      }
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 50);
  // The file is valid for judge align (same reader, same checks) and holds every save.
  const auto set = judge::labels::read_labels(s.labels, {&judge::rubric::default_rubric(), s.notebooks});
  ASSERT_EQ(set.labels.size(), 50u);
  std::set<std::string> seen;
  for (const auto& l : set.labels)
    seen.insert(l.item + "#" + l.dimension + "#" + l.feedback + "#" + std::to_string(*l.score));
  for (int c = 0; c < 5; ++c)
    for (int i = 0; i < 10; ++i) {
      const auto& [nb, dim] = pairs[static_cast<std::size_t>(c * 10 + i)];
      EXPECT_TRUE(seen.count(nb + "#" + dim + "#client " + std::to_string(c) + " save " + std::to_string(i) +
                             "#" + std::to_string(static_cast<double>(1 + (c + i) % 3))))
          << nb << " " << dim;
    }
}

TEST(LabelServer, FiveClientsRacingOnOneLabelOneWins) {
  Served s;
  std::atomic<int> saved{0}, stale{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 5; ++c)
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", s.port);
      const auto [status, body] =
          Served::put_with(client, label("iris_bad.ipynb", "model_use", 2, "client " + std::to_string(c)));
      if (status == 200) ++saved;
      if (status == 409 && body["status"] == "stale") ++stale;
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(saved.load(), 1);
  EXPECT_EQ(stale.load(), 4);
  EXPECT_EQ(judge::labels::read_labels(s.labels).labels.size(), 1u);
}

TEST(LabelServer, ALabelsFileWithProblemsIsShownAndNotWritten) {
  const std::string text = "notebook,dimension,rater,score\niris_bad.ipynb,model_use,other,4\n";
  Served s(text);
  const json session = s.get("/api/session");
  ASSERT_EQ(session["labels_problems"].size(), 1u);
  EXPECT_EQ(session["labels_problems"][0], s.labels.string() + ":2: score 4 is off the scale (1..3 or NA)");
  const auto [status, body] = s.put(label("iris_bad.ipynb", "model_training", 2, ""));
  EXPECT_EQ(status, 409);
  EXPECT_EQ(body["status"], "blocked");
  EXPECT_EQ(judge::util::read_file(s.labels), text);
}

TEST(LabelServer, AScoresFileWithAScoreOffTheScaleIsAnErrorNamingItsLine) {
  judge::test::TempDir dir("judge_label_scores");
  const fs::path scores = dir / "scores.jsonl";
  std::ofstream(scores)
      << R"({"notebook": "iris_bad.ipynb", "dimension": "model_use", "status": "scored", "score": 2})"
         "\n"
      << R"({"notebook": "iris_bad.ipynb", "dimension": "model_training", "status": "scored", "score": 9})"
         "\n"
      << R"({"notebook": "iris_bad.ipynb", "dimension": "data_imputation", "status": "scored", "score": 0.5})"
         "\n";
  try {
    Served s("", {scores});
    FAIL() << "no error";
  } catch (const judge::Error& e) {
    // Numbers as every message of the tool spells them: "9", "0.5", never "9.000000".
    const std::string what = e.what();
    EXPECT_NE(what.find(scores.string() + ":2: score 9 is off the rubric's scale (1..3)"), std::string::npos)
        << what;
    EXPECT_NE(what.find(scores.string() + ":3: score 0.5 is off the rubric's scale (1..3)"),
              std::string::npos)
        << what;
  }
}

TEST(LabelServer, ScoresOfTwoJudgesAreShownAndTheirDisagreementLeadsTheQueue) {
  judge::test::TempDir dir("judge_label_scores");
  const fs::path scores = dir / "scores.jsonl";
  std::ofstream(scores)
      << R"({"notebook": "nb/iris_bad.ipynb", "dimension": "model_use", "judge": "heuristic", "status": "scored", "score": 3, "rationale": "cell 4 predicts"})"
         "\n"
      << R"({"notebook": "nb/iris_bad.ipynb", "dimension": "model_use", "judge": "openai:m", "status": "scored", "score": 1, "rationale": "cell 4 is not use"})"
         "\n"
      << R"({"notebook": "nb/iris_bad.ipynb", "dimension": "model_training", "judge": "heuristic", "status": "scored", "score": 2, "rationale": ""})"
         "\n"
      << R"({"notebook": "nb/iris_bad.ipynb", "dimension": "model_training", "judge": "openai:m", "status": "scored", "score": 2, "rationale": ""})"
         "\n";
  Served s("", {scores});
  const json nb = s.get("/api/notebook?name=iris_bad.ipynb");
  ASSERT_EQ(nb["verdicts"]["model_use"].size(), 2u);
  EXPECT_EQ(nb["verdicts"]["model_use"][1]["judge"], "openai:m");
  EXPECT_EQ(nb["verdicts"]["model_use"][1]["rationale"], "cell 4 is not use");
  const json q = s.get("/api/queue?n=3")["items"];
  ASSERT_EQ(q.size(), 3u);
  // 3 vs 1 on a 1..3 scale: uncertainty 1, + novelty 1 + difficulty 1 (nothing labelled, no memory).
  EXPECT_EQ(q[0]["notebook"], "iris_bad.ipynb");
  EXPECT_EQ(q[0]["dimension"], "model_use");
  EXPECT_DOUBLE_EQ(q[0]["value"].get<double>(), 3.0);
  EXPECT_NE(q[0]["reason"].get<std::string>().find("heuristic 3.00 vs openai:m 1.00"), std::string::npos)
      << q[0];
}

TEST(LabelServer, ScoresNamingANotebookByTheEndOfItsPathAreShownUnlessTheNameIsAmbiguous) {
  // judge eval run inside sub/ writes "./x.ipynb"; judge label serves the parent folder: sub/x.ipynb.
  // "y.ipynb" ends the names of two notebooks (a/y.ipynb, b/y.ipynb) and matches neither.
  judge::test::TempDir dir("judge_label_nested");
  const fs::path nb = dir / "nb";
  const fs::path example = judge::test::source_dir() / "examples" / "notebooks" / "iris_bad.ipynb";
  for (const char* name : {"sub/x.ipynb", "a/y.ipynb", "b/y.ipynb"}) {
    fs::create_directories((nb / name).parent_path());
    fs::copy_file(example, nb / name);
  }
  const fs::path scores = dir / "scores.jsonl";
  std::ofstream(scores)
      << R"({"notebook": "./x.ipynb", "dimension": "model_use", "judge": "heuristic", "status": "scored", "score": 3})"
         "\n"
      << R"({"notebook": "runs/sub/x.ipynb", "dimension": "model_training", "judge": "heuristic", "status": "scored", "score": 2})"
         "\n"
      << R"({"notebook": "y.ipynb", "dimension": "model_use", "judge": "heuristic", "status": "scored", "score": 1})"
         "\n";
  SessionOptions o;
  o.notebooks_dir = nb;
  o.labels_file = dir / "labels.csv";
  o.rater = "expert";
  o.scores_files = {scores};
  const Session session(o, judge::rubric::default_rubric());
  const auto x = session.notebook_json("sub/x.ipynb");
  ASSERT_TRUE(x);
  ASSERT_EQ((*x)["verdicts"]["model_use"].size(), 1u);
  EXPECT_EQ((*x)["verdicts"]["model_use"][0]["score"], 3);
  ASSERT_EQ((*x)["verdicts"]["model_training"].size(), 1u);
  for (const char* name : {"a/y.ipynb", "b/y.ipynb"}) {
    const auto y = session.notebook_json(name);
    ASSERT_TRUE(y) << name;
    EXPECT_FALSE((*y)["verdicts"].contains("model_use")) << name;
  }
  const auto warnings = session.warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "scores " + scores.string() + ": 1 record names no notebook under " + nb.string() +
                             " (ignored); the names of several notebooks end with y.ipynb: score them with "
                             "paths from the notebooks folder (judge eval DIR from where judge label runs)");
}

TEST(LabelServer, TheQueueSkipsWhatIsLabelledAndIsTheSameEachTime) {
  Served s;
  const json all = s.get("/api/queue?n=0")["items"];
  EXPECT_EQ(all.size(), 7u * 9u);  // 7 readable notebooks x 9 dimensions, nothing labelled yet
  EXPECT_EQ(s.get("/api/queue?n=0")["items"], all);
  const std::string nb = all[0]["notebook"], dim = all[0]["dimension"];
  ASSERT_EQ(s.put(label(nb, dim, 2, "")).first, 200);
  const json after = s.get("/api/queue?n=0")["items"];
  EXPECT_EQ(after.size(), 7u * 9u - 1);
  for (const auto& q : after) EXPECT_FALSE(q["notebook"] == nb && q["dimension"] == dim);
  s.get("/api/queue?n=x", 400);
}

TEST(LabelServer, OnLoopbackOnlyRequestsToALoopbackNameAreAnswered) {
  Served s;
  const auto rebound = s.client->Get("/api/notebooks", {{"Host", "evil.example:" + std::to_string(s.port)}});
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 403);
  const auto put = s.client->Put("/api/label", {{"Host", "evil.example"}},
                                 label("iris_bad.ipynb", "model_use", 2, "").dump(), "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 403);
  EXPECT_FALSE(fs::exists(s.labels));
  const auto local = s.client->Get("/api/notebooks", {{"Host", "localhost:" + std::to_string(s.port)}});
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 200);
}

TEST(LabelServer, ALabelsFileInAFolderThatDoesNotExistIsAnErrorAtStart) {
  judge::test::TempDir dir("judge_label_folder");
  SessionOptions o;
  o.notebooks_dir = judge::test::source_dir() / "examples" / "notebooks";
  o.labels_file = dir / "no" / "such" / "labels.csv";
  o.rater = "x";
  try {
    Session session(o, judge::rubric::default_rubric());
    FAIL() << "no error";
  } catch (const judge::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "labels file " + o.labels_file.string() + ": folder " + (dir / "no" / "such").string() +
                  " does not exist (create it, or give --labels a file in an existing folder)");
  }
}
