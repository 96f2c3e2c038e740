// SPDX-License-Identifier: MIT
// judge eval with several endpoints (--base-url a list), one of which dies mid-run, and eval's streamed
// output: the built binary against loopback LLM servers.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "../fake_llm_server/fake_server.hpp"
#include "../support.hpp"

using judge::test::FakeLlmServer;
using judge::test::run_command;
using nlohmann::json;

namespace {

json reply_from(const std::string& server) {
  return {{"type", "reply"}, {"content", json{{"score", 2}, {"rationale", "answered by " + server}}.dump()}};
}

std::vector<json> lines(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) v.push_back(json::parse(l));
  return v;
}

// Three servers behind one judge; server c answers its first 7 requests, then dies (the fake server's
// "exit": its process ends, open connections reset, new ones refused). Every item is scored once: c's 7
// answers plus every request a and b received (they never fail), 45 in all (5 notebooks x 9 dimensions).
TEST(EndpointsCli, EveryItemIsScoredOnceWhenAnEndpointDiesMidRun) {
  FakeLlmServer a, b, c;
  a.script(json::array(), reply_from("a"));
  b.script(json::array(), reply_from("b"));
  json seven = json::array();
  for (int i = 0; i < 7; ++i) seven.push_back(reply_from("c"));
  c.script(seven, {{"type", "exit"}});
  judge::test::TempDir dir("endpoints_cli");
  const auto r = judge::test::run_judge(
      "eval examples/notebooks --format jsonl --jobs 6 --judge openai:m --cache-mode off --base-url " +
      a.openai_base_url() + "," + b.openai_base_url() + " --base-url " + c.openai_base_url() + " 2> '" +
      (dir.path() / "err").string() + "'");
  std::ifstream err(dir.path() / "err");
  const std::string stderr_text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  ASSERT_EQ(r.exit_code, 0) << stderr_text;
  const auto records = lines(r.out);
  ASSERT_EQ(records.size(), 45u);
  std::set<std::pair<std::string, std::string>> items;
  std::map<std::string, int> by_server;
  for (const auto& rec : records) {
    EXPECT_EQ(rec["status"], "scored") << rec.dump();
    items.emplace(rec["notebook"].get<std::string>(), rec["dimension"].get<std::string>());
    by_server[rec["rationale"].get<std::string>()] += 1;
  }
  EXPECT_EQ(items.size(), 45u);  // each (notebook, dimension) once
  EXPECT_EQ(by_server["answered by c"], 7);
  EXPECT_EQ(by_server["answered by a"], a.request_count());
  EXPECT_EQ(by_server["answered by b"], b.request_count());
  EXPECT_EQ(a.request_count() + b.request_count(), 45 - 7);
  EXPECT_GT(a.request_count(), 0);
  EXPECT_GT(b.request_count(), 0);
  EXPECT_NE(stderr_text.find("45 calls, 0 from the cache, 0 failed"), std::string::npos) << stderr_text;
}

// Each endpoint's own jobs caps its requests in flight; without --jobs the run keeps their sum in flight.
TEST(EndpointsCli, JobsPerEndpointCapItsRequestsInFlight) {
  FakeLlmServer a(0.05), b(0.05);
  const auto r = judge::test::run_judge(
      "eval examples/notebooks --format jsonl --judge openai:m --cache-mode off "
      "--base-url '" +
      a.openai_base_url() + "#jobs=1, " + b.openai_base_url() + "#jobs=3' 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(lines(r.out).size(), 45u);
  EXPECT_EQ(a.stats()["max_in_flight"], 1);
  EXPECT_EQ(b.stats()["max_in_flight"], 3);
  EXPECT_EQ(a.request_count() + b.request_count(), 45);
}

TEST(EndpointsCli, AMalformedEntryIsAUsageErrorNamingTheFlag) {
  const auto r = judge::test::run_judge(
      "eval examples/notebooks --judge openai:m --base-url 'http://127.0.0.1:9/v1#jobs=0' 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("flag --base-url: base_url entry \"http://127.0.0.1:9/v1#jobs=0\": \"#jobs=0\" is not "
                       "#jobs=N with N a whole number of 1 or more"),
            std::string::npos)
      << r.out;
}

// The records come out as they are done: with the second notebook's reply held back by the server, the
// first notebook's record is already on standard output while that request is still in flight.
TEST(EvalStreaming, ARecordIsWrittenBeforeTheLaterItemsAreDone) {
  FakeLlmServer server;
  server.script({{{"type", "reply"}, {"match", "SLOW_NOTEBOOK_MARKER"}, {"delay", 20}}});
  judge::test::TempDir dir("eval_streaming");
  const auto nb = [](const std::string& text) {
    return R"({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "markdown",
      "metadata": {}, "source": [")" +
           text + R"("]}]})";
  };
  std::ofstream(dir.path() / "a.ipynb") << nb("# Fast notebook");
  std::ofstream(dir.path() / "b.ipynb") << nb("# SLOW_NOTEBOOK_MARKER");
  const std::string command = "cd '" + dir.path().string() + "' && { '" + JUDGE_BINARY +
                              "' eval a.ipynb b.ipynb --dimensions model_training --format jsonl --jobs 2 "
                              "--judge openai:m --cache-mode off --base-url " +
                              server.openai_base_url() + " 2>/dev/null & echo $!; wait; }";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char line[4096];
  ASSERT_NE(std::fgets(line, sizeof line, pipe), nullptr);
  const int pid = std::stoi(line);
  ASSERT_NE(std::fgets(line, sizeof line, pipe), nullptr);
  const json first = json::parse(line);
  // The slow request is still held by the server (20 s). On a busy machine it may reach the server after the
  // first record is out (both are sent at once), so wait for it to arrive (at most 10 s).
  json stats = server.stats();
  for (int i = 0; i < 200 && stats["requests"] != 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stats = server.stats();
  }
  ::kill(pid, SIGTERM);
  ::pclose(pipe);
  EXPECT_EQ(first["notebook"], "a.ipynb");
  EXPECT_EQ(first["status"], "scored");
  EXPECT_EQ(stats["requests"], 2);
  EXPECT_EQ(stats["in_flight"], 1);
}

}  // namespace
