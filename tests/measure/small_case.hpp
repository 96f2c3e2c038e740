// SPDX-License-Identifier: MIT
// The small labelled case that the measure and report tests both check by hand.
#pragma once

namespace judge::test {

// Two raters on 1..3 over notebooks a and b (paths relative to the notebooks folder), and `judge eval` JSON
// Lines output for the same notebooks under a longer path, plus one notebook without labels.
inline constexpr const char* k_labels =
    "notebook,dimension,rater,score,feedback\n"
    "a.ipynb,model_training,r1,3,good split\n"
    "a.ipynb,model_training,r2,2,\"no seed,\nbut fine\"\n"
    "a.ipynb,model_use,r1,NA,\n"
    "a.ipynb,model_use,r2,NA,\n"
    "sub/b.ipynb,model_training,r1,1,no model\n"
    "sub/b.ipynb,model_training,r2,1,\n"
    "sub/b.ipynb,model_use,r1,2,\n"
    "sub/b.ipynb,model_use,r2,3,\n";
inline constexpr const char* k_scores =
    R"({"notebook": "/data/nbs/a.ipynb", "dimension": "model_training", "status": "scored", "score": 3, "rationale": "trains", "judge": "heuristic"}
{"notebook": "/data/nbs/a.ipynb", "dimension": "model_use", "status": "scored", "score": 2, "rationale": "uses", "judge": "heuristic"}
{"notebook": "/data/nbs/sub/b.ipynb", "dimension": "model_training", "status": "scored", "score": 3, "rationale": "says <b>", "judge": "heuristic"}
{"notebook": "/data/nbs/sub/b.ipynb", "dimension": "model_use", "status": "unscored", "score": null, "rationale": "", "judge": "heuristic", "error": "timeout"}
{"notebook": "/data/nbs/c.ipynb", "dimension": "model_use", "status": "not_applicable", "score": null, "rationale": "", "judge": "heuristic"}
)";

}  // namespace judge::test
