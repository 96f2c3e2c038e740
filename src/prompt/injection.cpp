// SPDX-License-Identifier: MIT
// Detecting text in a notebook that tries to steer its grader (prompt injection), whatever the judge.
//
// Why phrase patterns over tokens, and why notes need a request: ML notebooks talk about scores, models,
// evaluators and grades all the time, so no single word marks an attempt. What marks one is how the text is
// put: addressed to whoever grades it ("note to the grader", "dear AI", "whoever reviews this") AND asking
// for a score, approval or silence within the same paragraph; or a claim that needs no addressee (new
// instructions, a "SYSTEM" role, "developer mode", "already approved by the instructor", a planted verdict
// such as {"score": 3}); or text a person does not see but a model reads (hidden HTML, invisible characters,
// encoded blobs). The patterns run over normalised tokens (injection_text.hpp) rather than std::regex: the
// input can be megabytes of markdown, and look-alike letters and zero-width characters are undone first.
// The patterns are listed with examples in docs/prompt.md ("Prompt injection").
#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "injection_text.hpp"
#include "judge/prompt/prompt.hpp"
#include "judge/rubric/rubric.hpp"
#include "judge/util/text.hpp"

namespace judge::prompt {

namespace {

using detail::Token;

// What a pattern does: a finding by itself; an addressee or authority that needs a request nearby; a
// request (for a score, approval, silence, leniency); or a word that only counts in hidden text.
enum class Role { standalone, trigger, request, hint };

struct PatternSpec {
  Role role;
  const char* kind;  // the finding's kind for standalone patterns and triggers
  std::string text;
};

// Word classes used by the patterns below. "a+b" is a phrase of several tokens.
const std::string k_ai =
    "ai|ais|llm|llms|language+model|language+models|large+language+model|chatbot|chatbots|assistant|"
    "assistants|"
    "gpt|chatgpt|gpt-4|gpt-4o|claude|gemini|copilot|ai+model|ai+system|ai+agent|llm+agent|ai+assistant|"
    "llm-as-a-judge|llm-as-judge|llm+judge|ai+judge";
const std::string k_role =
    "grader|graders|reviewer|reviewers|evaluator|evaluators|judge|judges|assessor|assessors|marker|markers|"
    "examiner|examiners|instructor|instructors|teacher|teachers|professor|autograder|autograders|"
    "auto-grader|grading+system|grading+tool|grading+script|grading+model|grading+bot|grading+agent|"
    "review+bot|evaluation+agent|grading+assistant|teaching+assistant|checker|checkers|auto-checker";
const std::string k_addressee = k_ai + "|" + k_role;  // named in "note to the X": not "model" (too common)
const std::string k_any_addressee = k_addressee + "|model|models|bot|bots|agent";
const std::string k_machine =
    "automated|automatic|auto|ai|llm|machine|robot|ai-based|ai-powered|llm-based|future";
const std::string k_note =
    "note|notes|message|messages|instruction|instructions|hint|hints|memo|reminder|directive|request|comment|"
    "comments|attention|warning|ps|psa|word|guidance|advice|tip";
const std::string k_grade_verb =
    "grades|grading|grade|reviews|reviewing|review|evaluates|evaluating|evaluate|marks|marking|mark|scores|"
    "scoring|score|assesses|assessing|assess|checks|checking|check|judges|judging|judge|corrects|correcting";
const std::string k_work = "notebook|submission|assignment|project|solution|homework|analysis|work";
const std::string k_score_noun =
    "score|scores|grade|grades|rating|ratings|marks|mark|points|full|maximum|max|top|highest|perfect|an+a|a+"
    "pass";
const std::string k_authority =
    "instructor|instructors|teacher|professor|prof|staff|course+staff|grading+team|admin|administrator|"
    "anthropic|openai|head+grader|lead+grader|examiner|examiners|committee|department|grader|graders|"
    "reviewer|"
    "teaching+staff|course+team|"
    "reviewers|human+grader|human+reviewer|supervisor";
const std::string k_instructions =
    "instruction|instructions|prompt|prompts|directions|directives|guidance|guidelines|rules|rubric|criteria|"
    "commands|orders|constraints|policies";

// The patterns, one string each: slots separated by spaces, matched on consecutive tokens. In a slot, "a|b"
// are alternatives, "a+b" a phrase of several tokens, "x?" makes the slot optional; "~N" lets up to N tokens
// come before the next slot (never across '.', '!', '?' or a blank line); "<d>" is a whole number 0..10
// without a fraction; "<dim>" a built-in rubric dimension (its id, or its title's words); a word in CAPITALS
// matches only capitals; a leading "^" needs the first token to start a line, a comment or a sentence; a
// trailing "$" needs no word or number right after the match ("3 features" is not a score).
const std::vector<PatternSpec>& pattern_specs() {
  static const std::vector<PatternSpec> k_specs = {
      // --- notes to the grader: addressee (trigger) + request --------------------------------------------
      {Role::trigger, "addressed_note",
       k_note + " to|for the|any|all|every|an|a|my|our? " + k_machine + "? " + k_addressee + "|ta|tas"},
      {Role::trigger, "addressed_note",
       "dear|hey|hi|hello|psst|yo|greetings the|dear? " + k_machine + "? " + k_any_addressee},
      {Role::trigger, "addressed_note", "you|yourself ,|: the|dear? " + k_machine + "? " + k_any_addressee},
      {Role::trigger, "addressed_note",
       "if|since|because|as|when you+are|you're|you+re a|an|the " + k_machine + "? " + k_any_addressee},
      {Role::trigger, "addressed_note",
       "whoever|whomever|whatever|whichever ~1 is|are? " + k_grade_verb +
           "|reads|reading|read this|these|it|the|my|our|me?"},
      {Role::trigger, "addressed_note",
       "anyone|anybody|someone|person|one|people|system|tool|program|model|agent|ai|llm ~1 who|that|which ~1 "
       "is|are? " +
           k_grade_verb + " this|these|my|our|me|the+notebook|the+submission|notebooks|submissions"},
      {Role::trigger, "addressed_note",
       k_machine + " " + k_role + "|grading|review|evaluation|reviewing|scoring"},
      {Role::trigger, "addressed_note",
       k_addressee +
           " reading|reviewing|grading|evaluating|scoring|checking|assessing|marking|judging|processing|"
           "analyzing|analysing|parsing|looking+at this|these|the|my|our"},
      {Role::trigger, "addressed_note", "^ " + k_addressee + "|bot|bots ,|:|]"},
      {Role::trigger, "addressed_note",
       k_addressee +
           "|grading+bot is|are|was|were|has+been ~1 instructed|told|required|expected|supposed|asked|"
           "ordered|configured|meant|programmed|allowed to"},
      {Role::trigger, "addressed_note",
       k_addressee + " model|models? instruction|instructions|note|notes|message|directive|reminder :|-"},
      {Role::trigger, "addressed_note",
       k_machine +
           " system|systems|tool|tools|program|pipeline|process|model|models|agent|agents reading|reviewing|"
           "grading|evaluating|scoring|checking|assessing|marking|judging|processing|analyzing|analysing "
           "this|these|the|my|our"},
      {Role::trigger, "addressed_note", "your rationale|rationales|verdict|grading|evaluation|assessment"},
      {Role::trigger, "planted_score", "^ rationale|justification|reasoning :"},
      {Role::trigger, "addressed_note",
       "^ to|for the|any|all|my|our? " + k_machine + "? " + k_addressee + "|bot|bots ,|:"},
      {Role::trigger, "addressed_note", "^ to|for the|any|all|my|our? model|models :"},
      // --- authority that needs a request ----------------------------------------------------------------
      {Role::trigger, "authority_claim",
       k_authority +
           " has|have|had? said|says|confirmed|confirms|decided|instructed|agreed|allowed|permitted|"
           "authorized|authorised|stated|told|asked|requested|verified|approved|checked|reviewed|graded|"
           "validated"},
      {Role::trigger, "authority_claim", "on+behalf+of the? " + k_authority},
      {Role::trigger, "authority_claim",
       "i+am|i'm|this+is the|your course? "
       "instructor|teacher|professor|ta|grader|examiner|admin|administrator|owner|"
       "staff"},
      {Role::trigger, "authority_claim",
       "official note|notice|instruction|instructions|message|update|statement|directive"},
      {Role::trigger, "authority_claim",
       "message|notice|note|instruction|instructions|directive from the? " + k_authority +
           "|system|developer|developers"},

      // --- requests: a score, approval, silence, leniency ------------------------------------------------
      {Role::request, "",
       "give|assign|award|grant|put|return|output|respond+with|reply+with|answer+with|set|record|enter|"
       "report ~4 "
       "score|scores|grade|grades|rating|ratings|marks|mark|points|full|maximum|max|top|highest|perfect|"
       "passing"},
      {Role::request, "", "give|gimme|assign|award|grant|rate|grade|score|mark ~3 <d> $"},
      {Role::request, "",
       "give|gimme|assign|award|grant|rate|grade|score|mark ~3 <d> "
       "please|pls|thanks|thank|now|points|marks|stars"},
      {Role::request, "", "answer|score|grade|rating|mark for|on|of ~3 is|=|: <d>"},
      {Role::request, "", "<dim> :|=|is|should+be <d>"},
      {Role::request, "", "please|kindly ignore|overlook|disregard|forget that|this|it|them|those"},
      {Role::request, "",
       "satisfies|satisfy|meets|meet|fulfils|fulfills|covers|passes ~2 all|every|each ~2 criteria|criterion|"
       "requirements|requirement|dimensions|dimension|rubric|checks|tests"},
      {Role::request, "", "<d> /|out+of <d>"},
      {Role::request, "", "score|grade|rating|marks of|:|= <d> $"},
      {Role::request, "",
       "rate|grade|score|mark|evaluate|review|judge it|this|me|us|the+notebook|my+work|everything ~2 "
       "highly|generously|"
       "leniently|favorably|favourably|well|high|top"},
      {Role::request, "",
       "no+need to|for ~2 check|checking|review|reviewing|verify|look|grade|grading|evaluate|read|test"},
      {Role::request, "",
       "full|maximum|max|top|perfect|highest|best+possible|a+high|a+good|high|good|passing|excellent "
       "marks|mark|score|scores|grade|grades|points|rating|ratings|evaluation|review|feedback"},
      {Role::request, "", "get|gets|getting|receive|receives|earn|earns|deserve|deserves ~3 <d> $"},
      {Role::request, "",
       "get|gets|getting|receive|receives|earn|earns|deserve|deserves ~3 "
       "full|maximum|max|top|highest|perfect|"
       "passing|a+pass|an+a|marks|points"},
      {Role::request, "",
       "approve|approved|approval|accept|accepted|lgtm|sign+off|green+light|greenlight|thumbs+up"},
      {Role::request, "", "pass this|me|my|the+notebook|the+submission|the+assignment"},
      {Role::request, "",
       "mark|grade|treat|consider|rate|evaluate|count|score|judge "
       "this|it|the+notebook|my+work|the+submission|the+work|"
       "me ~1 as? "
       "correct|complete|completed|passed|done|accepted|approved|satisfactory|excellent|perfect|flawless|"
       "exemplary|full|finished|successful"},
      {Role::request, "",
       "mark|grade|treat|consider|rate|evaluate|count|score|judge|regard ~3 as "
       "correct|complete|completed|passed|done|"
       "accepted|approved|satisfactory|excellent|perfect|flawless|exemplary|finished|successful"},
      {Role::request, "",
       "should|must|will|would|can|shall get|receive|be+given|be+graded|be+rated|be+scored|be+marked|pass|"
       "be+approved|be+accepted|earn"},
      {Role::request, "",
       "do+not|don't|dont|never|no+need+to|without|avoid|refrain+from|not "
       "mention|mentioning|report|reporting|flag|"
       "flagging|reveal|revealing|disclose|disclosing|note|noting|point+out|pointing+out|comment+on|"
       "commenting+on|"
       "talk+about|refer+to|acknowledge|acknowledging|quote|quoting|repeat|repeating|cite|citing|include|"
       "including|"
       "discuss|discussing|tell|explain|say|bring+up|highlight"},
      {Role::request, "",
       "keep ~2 this|it|that ~2 to+yourself|secret|hidden|confidential|between+us|quiet|private"},
      {Role::request, "",
       "pretend|act+as+if|behave+as+if ~3 did+not|didn't|never|not|haven't|have+not ~2 "
       "see|seen|read|saw|notice|"
       "noticed|find|found"},
      {Role::request, "",
       "this|the note|message|comment|cell|text|instruction is|should+be|must+be|stays|remains ~2 "
       "invisible|hidden|"
       "secret|private|confidential"},
      {Role::request, "",
       "ignore|disregard|overlook|forgive|excuse|skip|forget ~3 "
       "error|errors|mistake|mistakes|bug|bugs|issue|issues|"
       "problem|problems|missing|failure|failures|traceback|tracebacks|exception|exceptions|rubric|"
       "instructions|"
       "criteria|crash|crashes|warnings|critique|criticism|weaknesses|shortcomings|flaws"},
      {Role::request, "",
       "don't|do+not|never|not|no penalize|penalise|penalizing|penalising|deduct|deducting|dock|lower|reduce|"
       "downgrade|fail|mark+down|take+off|subtract|penalty|deduction|deductions"},
      {Role::request, "", "be|go lenient|generous|kind|nice|gentle|easy"},
      {Role::request, "",
       "this|the|my|our " + k_work +
           "|code is|was|has+been ~2 complete|correct|perfect|flawless|excellent|exemplary|"
           "outstanding|error-free|bug-free|impeccable|production-ready"},

      // --- notes that need no addressee ------------------------------------------------------------------
      {Role::standalone, "addressed_note",
       "if|since|because|as|when you+are|you're|you+re a|an " + k_machine +
           "? ai|llm|language+model|large+language+model|"
           "chatbot|gpt|chatgpt|claude|gemini|assistant|ai+model|ai+system|ai+assistant"},
      {Role::standalone, "addressed_note",
       "give|assign|award|grant|rate|grade|score|mark this|the|my|our " + k_work + " ~4 " + k_score_noun +
           " of? <d>?"},
      {Role::standalone, "addressed_note",
       "give|assign|award|grant|rate|grade|score|mark this|the|my|our " + k_work + " <d> $"},
      {Role::standalone, "addressed_note",
       "this|the|my|our notebook|submission|assignment|project|solution|homework|work "
       "deserves|deserve|merits|warrants"},
      {Role::standalone, "addressed_note",
       "this|the|my|our notebook|submission|assignment|project|solution|homework "
       "should|must|will|would|shall|can ~1 "
       "get|receive|be+given|be+awarded|be+graded|be+rated|be+scored|be+marked|earn|score|pass|be+approved|"
       "be+accepted|be+passed ~3 " +
           k_score_noun + "|approval|passing|pass"},
      {Role::standalone, "addressed_note",
       "please|kindly|pls ~2 give|assign|award|grant|rate|grade|score|mark me|us|this|it|my|our|the ~3 " +
           k_score_noun + "|good|high|passing|<d>"},
      {Role::standalone, "addressed_note",
       "please|kindly|pls approve|accept|pass this|it|my|me|the+notebook|the+submission"},
      {Role::standalone, "addressed_note",
       "please|kindly|pls ~1 overlook|forgive|don't+penalize|don't+penalise|do+not+penalize|do+not+penalise|"
       "don't+deduct|do+not+deduct|be+lenient|be+generous|go+easy"},

      // --- instructions replaced -------------------------------------------------------------------------
      {Role::standalone, "instruction_override",
       "ignore|disregard|forget|override|bypass ~3 "
       "previous|prior|above|earlier|preceding|original|initial|system|your|"
       "all|any|other|existing|former|old ~2 " +
           k_instructions + "|context|text|messages|message"},
      {Role::standalone, "instruction_override",
       "ignore|disregard|forget|override|bypass ~2 "
       "rubric|system+prompt|grading+criteria|grading+rules|scoring+rules|"
       "scoring+criteria|grading+guidelines|grading+instructions|evaluation+criteria|marking+scheme"},
      {Role::standalone, "instruction_override",
       "ignore|disregard|forget everything ~3 above|before|previously|prior|earlier|said|written"},
      {Role::standalone, "instruction_override",
       "previous|prior|above|earlier|preceding|original|old|former|initial|system|your|existing|grading|all|"
       "these|"
       "those ~1 " +
           k_instructions +
           " are|is|were|was|have|has|now|been? ~2 outdated|obsolete|void|invalid|"
           "cancelled|canceled|revoked|superseded|replaced|deprecated|rescinded|withdrawn|suspended|"
           "overridden|null|"
           "expired|lifted|no+longer+valid|no+longer+apply|no+longer+in+effect"},
      {Role::standalone, "instruction_override",
       "instruction|instructions|prompt|rules|rubric|guidelines no+longer "
       "apply|applies|valid|hold|holds|matter|relevant"},
      {Role::standalone, "instruction_override",
       "instruction|instructions|rubric|grading+rules|grading+criteria|scoring+rules|scoring+criteria "
       "have|has "
       "been? changed|updated|revised|replaced"},
      {Role::standalone, "instruction_override",
       "new|updated|revised|amended|corrected|real|actual|true|secret|hidden|priority|override|admin|"
       "developer "
       "instruction|instructions|directive|directives :"},
      {Role::standalone, "instruction_override",
       "secret|hidden|priority|override|admin|developer instruction|instructions|directive|directives"},
      {Role::standalone, "instruction_override",
       "you+are|you're|you+re now? the|a|an new|official|lenient|generous? "
       "grader|judge|evaluator|reviewer|assessor|"
       "examiner|marker|language+model"},
      {Role::standalone, "instruction_override",
       "act|behave|respond|pretend|roleplay|role-play as|like a|an|the? "
       "lenient|generous|different|new|friendly? "
       "grader|judge|evaluator|reviewer|examiner|marker|assessor"},
      {Role::standalone, "instruction_override",
       "from+now+on|henceforth|starting+now|going+forward ,? you ~2 must|will|should|shall|are ~4 "
       "grade|score|rate|give|"
       "answer|respond|reply|output|return|approve|pass|ignore"},

      // --- authority and modes ---------------------------------------------------------------------------
      {Role::standalone, "authority_claim",
       "SYSTEM "
       ":|]|OVERRIDE|MESSAGE|PROMPT|NOTICE|INSTRUCTION|INSTRUCTIONS|NOTE|UPDATE|ALERT|DIRECTIVE|ADMIN"},
      {Role::standalone, "authority_claim", "[ SYSTEM|OVERRIDE"},
      {Role::standalone, "authority_claim", "OVERRIDE :|!"},
      {Role::standalone, "authority_claim",
       "< im_start|im_end|start_header_id|end_header_id|eot_id|SYS"},  // chat templates
      {Role::standalone, "authority_claim", "[ INST|SYS"},
      {Role::standalone, "authority_claim",
       "system|admin|administrator|developer|priority|emergency|security|grading|root|sudo|evaluation|"
       "scoring|review|"
       "rubric|score override|overrides"},
      {Role::standalone, "authority_claim", "system prompt|prompts"},
      {Role::standalone, "authority_claim",
       "developer|god|admin|administrator|jailbreak|jailbroken|dan|unrestricted|sudo|superuser|unfiltered|"
       "uncensored|"
       "override|privileged mode"},
      {Role::standalone, "authority_claim",
       "grading|maintenance|debug|review|admin|root|god|privileged mode is|has|been? ~1 "
       "enabled|activated|engaged|"
       "unlocked|active"},
      {Role::standalone, "authority_claim",
       "enter|entering|enable|enabling|activate|activating|switch+to|switching+to|now+in|you+are+in|you+are+"
       "now+in "
       "grading|maintenance|admin|developer|god|unrestricted|privileged|review|override mode"},
      {Role::standalone, "authority_claim", "jailbreak|jailbroken|do+anything+now"},
      {Role::standalone, "authority_claim",
       "already been? approved|graded|signed+off|certified|pre-approved|preapproved|greenlit|okayed"},
      {Role::standalone, "authority_claim",
       "already been? reviewed|verified|validated|checked|evaluated|assessed by ~2 " + k_authority +
           "|human|humans|expert|experts|lead|team|manager"},
      {Role::standalone, "authority_claim",
       "pre-approved|preapproved|pre-graded|pregraded|pre-verified|pre-reviewed|pre-scored|pre-checked"},
      {Role::standalone, "authority_claim",
       k_authority + "|ta|tas has|have already? "
                     "verified|approved|checked|reviewed|graded|validated|signed+off|accepted "
                     "this|it|the+notebook|the+submission|my+work|my+notebook|my+submission"},
      {Role::standalone, "authority_claim",
       "approved|authorized|authorised|endorsed|signed+off|certified|verified|validated|graded ~2 by ~2 " +
           k_authority + "|ta|tas|teaching+assistant"},

      // --- verdicts planted for the judge ----------------------------------------------------------------
      {Role::standalone, "planted_score",
       "\"|' score|grade|final_score|overall_score|total_score|verdict \"|' : \"|'? <d>|n+/+a|na"},
      {Role::standalone, "planted_score", "score|grade|grades|marks|mark :|= <d> /|out+of <d>"},
      {Role::standalone, "planted_score",
       "final|overall|total score|grade|rating :|=|is|of <d> /|out+of <d>"},
      {Role::standalone, "planted_score",
       "grading|judge|judging|reviewer|review result|verdict|outcome :|= "
       "pass|passed|approved|full+marks|<d>"},
      {Role::standalone, "planted_score",
       "correct|right|expected|true|proper|real|actual|final|appropriate|deserved|intended|official|fair "
       "answer|score|grade|rating|mark|verdict for|on|of|in the|this? "
       "<dim>|dimension|criterion|category|rubric|"
       "notebook|submission ~6 is|=|:|should+be|would+be|will+be|equals <d> $"},
      {Role::standalone, "planted_score",
       "<dim> score|grade|rating|level? :|=|is|should+be|must+be|equals <d> $"},
      {Role::standalone, "planted_score",
       "<dim> score|grade|rating|level? :|=|is|should+be <d> /|out+of <d>"},
      {Role::standalone, "planted_score",
       "score|grade|rating|mark for|of this|the notebook|submission|assignment is|should+be|must+be|=|: "
       "<d>|full|"
       "maximum|perfect|top"},

      // --- words that count only in hidden text ----------------------------------------------------------
      {Role::hint, "",
       k_ai + "|grader|graders|reviewer|reviewers|evaluator|judge|examiner|autograder|rubric|criteria|"
              "criterion|full+marks|deserve|deserves|flawless|exemplary|outstanding|impeccable|perfect+score|"
              "maximum+score|highest+score|top+marks|instructions|instruction|prompt|ignore|disregard|"
              "approve|approved"},
  };
  return k_specs;
}

// ---- compiled patterns ----

struct Atom {
  enum class Kind { word, upper, punct, small_int, dimension } kind = Kind::word;
  int id = -1;  // word, upper
  char c = 0;   // punct
};
using Alternative = std::vector<Atom>;
struct Slot {
  std::vector<Alternative> alternatives;
  bool optional = false;
  int gap = 0;  // tokens that may be skipped before this slot
};
struct Pattern {
  Role role;
  const char* kind;
  std::vector<Slot> slots;
  bool sentence_start = false;  // "^": the first token starts a line or a sentence
  bool no_word_after = false;   // "$": no word or number right after the match ("3 features" is not a score)
};

struct Compiled {
  // Transparent hashing, so that a token's string_view is looked up without a copy.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int, Hash, std::equal_to<>> vocabulary;
  std::vector<Pattern> patterns;
  std::vector<std::vector<std::size_t>> by_word;  // by the first atom's word id: the patterns
  std::array<std::vector<std::size_t>, 128> by_punct;
  std::vector<std::size_t> by_number, by_dimension;
  std::vector<std::vector<std::string>> dimensions;  // the built-in rubric's ids and titles, as words
  std::vector<bool> dimension_start;  // by vocabulary id: the first word of one of `dimensions`
  // A token longer than any vocabulary word, or starting with a byte no vocabulary word starts with, is not
  // looked up (most identifiers and numbers in code).
  std::size_t longest_word = 0;
  std::array<bool, 256> first_byte{};
};

int intern(Compiled& c, const std::string& word) {
  return c.vocabulary.emplace(word, static_cast<int>(c.vocabulary.size())).first->second;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (ch == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

Atom compile_atom(Compiled& c, const std::string& text) {
  Atom a;
  if (text == "<d>") {
    a.kind = Atom::Kind::small_int;
  } else if (text == "<dim>") {
    a.kind = Atom::Kind::dimension;
  } else if (text.size() == 1 && !std::isalnum(static_cast<unsigned char>(text[0]))) {
    a.kind = Atom::Kind::punct;
    a.c = text[0];
  } else {
    const bool upper = text.size() >= 2 && std::all_of(text.begin(), text.end(), [](char ch) {
                         return std::isupper(static_cast<unsigned char>(ch));
                       });
    a.kind = upper ? Atom::Kind::upper : Atom::Kind::word;
    a.id = intern(c, util::to_lower(text));
  }
  return a;
}

Compiled compile() {
  Compiled c;
  for (const auto& spec : pattern_specs()) {
    Pattern p{spec.role, spec.kind, {}, false, false};
    int gap = 0;
    for (const auto& element : split(spec.text, ' ')) {
      if (element.empty()) continue;
      if (element == "^") {
        p.sentence_start = true;
      } else if (element == "$") {
        p.no_word_after = true;
      } else if (element[0] == '~') {
        gap = std::stoi(element.substr(1));
      } else {
        Slot s;
        std::string body = element;
        if (body.size() > 1 && body.back() == '?') {
          s.optional = true;
          body.pop_back();
        }
        for (const auto& alt : split(body, '|')) {
          Alternative a;
          for (const auto& atom : split(alt, '+')) a.push_back(compile_atom(c, atom));
          s.alternatives.push_back(std::move(a));
        }
        s.gap = gap;
        gap = 0;
        p.slots.push_back(std::move(s));
      }
    }
    if (p.slots.empty() || p.slots.front().optional)
      throw std::logic_error("injection pattern: " + spec.text);
    const std::size_t index = c.patterns.size();
    for (const auto& alt : p.slots.front().alternatives) {
      const Atom& first = alt.front();
      auto add = [&](std::vector<std::size_t>& list) {
        if (list.empty() || list.back() != index) list.push_back(index);
      };
      switch (first.kind) {
        case Atom::Kind::word:
        case Atom::Kind::upper:
          c.by_word.resize(std::max(c.by_word.size(), static_cast<std::size_t>(first.id) + 1));
          add(c.by_word[static_cast<std::size_t>(first.id)]);
          break;
        case Atom::Kind::punct:
          add(c.by_punct[static_cast<unsigned char>(first.c) & 0x7F]);
          break;
        case Atom::Kind::small_int:
          add(c.by_number);
          break;
        case Atom::Kind::dimension:
          add(c.by_dimension);
          break;
      }
    }
    c.patterns.push_back(std::move(p));
  }
  for (const auto& d : rubric::default_rubric().dimensions) {
    c.dimensions.push_back({d.id});
    std::vector<std::string> title;
    for (const auto& t : detail::tokenize(d.title).list)
      if (t.kind == Token::Kind::word) title.push_back(std::string(t.lower));
    if (!title.empty()) c.dimensions.push_back(title);
  }
  for (const auto& words : c.dimensions) {
    const int id = intern(c, words.front());
    c.dimension_start.resize(c.vocabulary.size(), false);
    c.dimension_start[static_cast<std::size_t>(id)] = true;
  }
  c.dimension_start.resize(c.vocabulary.size(), false);
  for (const auto& [word, id] : c.vocabulary) {
    c.longest_word = std::max(c.longest_word, word.size());
    c.first_byte[static_cast<unsigned char>(word.front())] = true;
  }
  return c;
}

const Compiled& compiled() {
  static const Compiled k_compiled = compile();
  return k_compiled;
}

// ---- matching ----

// The tokens of a text and the vocabulary id of each word token (-1 for other tokens and unknown words).
struct Tokens {
  explicit Tokens(std::string_view text) : tokens(detail::tokenize(text)), list(tokens.list) {
    const Compiled& c = compiled();
    ids.reserve(list.size());
    for (const auto& tok : list) {
      const bool may_be_known = tok.kind == Token::Kind::word && tok.lower.size() <= c.longest_word &&
                                c.first_byte[static_cast<unsigned char>(tok.lower.front())];
      const auto it = may_be_known ? c.vocabulary.find(tok.lower) : c.vocabulary.end();
      ids.push_back(it == c.vocabulary.end() ? -1 : it->second);
    }
  }
  detail::Tokens tokens;
  const std::vector<Token>& list;
  std::vector<int> ids;
};

bool hard_boundary(const Token& t) {
  return t.kind == Token::Kind::punct && (t.lower == "." || t.lower == "!" || t.lower == "?");
}

// Tokens a dimension name takes at `pos`, or 0.
std::size_t dimension_at(const Tokens& t, std::size_t pos) {
  for (const auto& words : compiled().dimensions) {
    if (pos + words.size() > t.list.size()) continue;
    bool ok = true;
    for (std::size_t k = 0; k < words.size() && ok; ++k)
      ok = t.list[pos + k].kind == Token::Kind::word && t.list[pos + k].lower == words[k] &&
           (k == 0 || !t.list[pos + k].paragraph_start);
    if (ok) return words.size();
  }
  return 0;
}

// Tokens the alternative takes at `pos`, or 0 when it does not match there.
std::size_t alternative_at(const Alternative& alt, const Tokens& t, std::size_t pos) {
  std::size_t q = pos;
  for (const Atom& a : alt) {
    if (q >= t.list.size() || (q > pos && t.list[q].paragraph_start)) return 0;
    const Token& tok = t.list[q];
    switch (a.kind) {
      case Atom::Kind::word:
        if (t.ids[q] != a.id) return 0;
        ++q;
        break;
      case Atom::Kind::upper:
        if (t.ids[q] != a.id || !tok.upper) return 0;
        ++q;
        break;
      case Atom::Kind::punct:
        if (tok.kind != Token::Kind::punct || tok.lower[0] != a.c) return 0;
        ++q;
        break;
      case Atom::Kind::small_int:
        if (tok.kind != Token::Kind::number || tok.small_int < 0) return 0;
        ++q;
        break;
      case Atom::Kind::dimension: {
        const std::size_t n = dimension_at(t, q);
        if (n == 0) return 0;
        q += n;
        break;
      }
    }
  }
  return q - pos;
}

// Matches p.slots[slot...] from `pos`; on success sets `end` (one past the last token).
bool slots_at(const Pattern& p, std::size_t slot, const Tokens& t, std::size_t pos, std::size_t& end) {
  if (slot == p.slots.size()) {
    if (p.no_word_after && pos < t.list.size() && t.list[pos].kind != Token::Kind::punct &&
        !t.list[pos].paragraph_start)
      return false;
    end = pos;
    return true;
  }
  const Slot& s = p.slots[slot];
  for (int skip = 0; skip <= s.gap; ++skip) {
    const std::size_t q = pos + static_cast<std::size_t>(skip);
    if (q >= t.list.size()) break;
    if (skip > 0 && (hard_boundary(t.list[q - 1]) || t.list[q - 1].paragraph_start)) break;
    if (slot > 0 && t.list[q].paragraph_start) break;
    for (const auto& alt : s.alternatives)
      if (const std::size_t n = alternative_at(alt, t, q); n > 0 && slots_at(p, slot + 1, t, q + n, end))
        return true;
  }
  return s.optional && slots_at(p, slot + 1, t, pos, end);
}

bool sentence_start(const Tokens& t, std::size_t pos) {
  if (pos == 0 || t.list[pos].line_start) return true;
  const Token& before = t.list[pos - 1];
  return before.kind == Token::Kind::punct &&
         std::string_view(".!?:;-[\"'").find(before.lower[0]) != std::string_view::npos;
}

struct Hit {
  Role role;
  const char* kind;
  std::size_t begin, end;  // token range
};

std::vector<Hit> hits_in(const Tokens& t) {
  const Compiled& c = compiled();
  std::vector<Hit> out;
  auto try_patterns = [&](const std::vector<std::size_t>& list, std::size_t pos) {
    for (const std::size_t i : list) {
      const Pattern& p = c.patterns[i];
      std::size_t end = 0;
      if (p.sentence_start && !sentence_start(t, pos)) continue;
      if (slots_at(p, 0, t, pos, end)) out.push_back({p.role, p.kind, pos, end});
    }
  };
  for (std::size_t pos = 0; pos < t.list.size(); ++pos) {
    const Token& tok = t.list[pos];
    if (tok.kind == Token::Kind::word) {
      if (t.ids[pos] < 0) continue;
      const auto id = static_cast<std::size_t>(t.ids[pos]);
      if (id < c.by_word.size()) try_patterns(c.by_word[id], pos);
      if (c.dimension_start[id]) try_patterns(c.by_dimension, pos);
    } else if (tok.kind == Token::Kind::number) {
      try_patterns(c.by_number, pos);
    } else {
      try_patterns(c.by_punct[static_cast<unsigned char>(tok.lower[0]) & 0x7F], pos);
    }
  }
  return out;
}

// The text of tokens [begin, end) as written (normalised), at most 80 bytes.
std::string phrase_of(std::string_view text, const Tokens& t, std::size_t begin, std::size_t end) {
  return detail::excerpt(text.substr(t.list[begin].begin, t.list[end - 1].end - t.list[begin].begin), 80);
}

bool paragraph_between(const Tokens& t, std::size_t from, std::size_t to) {
  for (std::size_t i = from + 1; i < to && i < t.list.size(); ++i)
    if (t.list[i].paragraph_start) return true;
  return false;
}

// Tokens allowed between an addressee and its request.
constexpr std::size_t k_request_window = 25;

struct Found {
  std::string kind;
  std::string phrase;
};

// The first attempt in a normalised text: a standalone pattern, else an addressee or authority with a
// request in the same paragraph within k_request_window tokens. `hidden`: the text is not seen by a person
// (a comment, a decoded blob), so any pattern or hint word is enough.
std::optional<Found> phrase_finding(std::string_view text, bool hidden) {
  const Tokens t(text);
  const auto hits = hits_in(t);
  for (const auto& h : hits)
    if (h.role == Role::standalone) return Found{h.kind, phrase_of(text, t, h.begin, h.end)};
  for (const auto& trigger : hits) {
    if (trigger.role != Role::trigger) continue;
    for (const auto& request : hits) {
      if (request.role != Role::request) continue;
      const std::size_t begin = std::min(trigger.begin, request.begin),
                        end = std::max(trigger.end, request.end);
      const std::size_t apart = request.begin >= trigger.end   ? request.begin - trigger.end
                                : trigger.begin >= request.end ? trigger.begin - request.end
                                                               : 0;
      if (apart <= k_request_window && !paragraph_between(t, begin, end))
        return Found{trigger.kind, phrase_of(text, t, begin, end)};
    }
  }
  // Hidden text: any hit but a one-word request ("accepted" in a commented-out changelog line).
  for (const auto& h : hits)
    if (hidden && (h.role != Role::request || h.end - h.begin > 1))
      return Found{"", phrase_of(text, t, h.begin, h.end)};
  return std::nullopt;
}

// One part of a cell: its source, its title or one of its outputs.
struct Part {
  std::string where;  // "source", "title", "output N"
  std::string text;
  bool prose;  // markdown or raw source: encoded blobs there are hidden text whatever they say
  bool markdown;
};

std::vector<Part> parts_of(const notebook::Cell& cell) {
  std::vector<Part> parts;
  const bool code = cell.type == notebook::CellType::code;
  parts.push_back({"source", cell.source, !code, cell.type == notebook::CellType::markdown});
  if (!cell.title.empty()) parts.push_back({"title", cell.title, false, false});
  for (std::size_t i = 0; i < cell.outputs.size(); ++i) {
    const auto& o = cell.outputs[i];
    std::string text = o.text;
    if (!o.evalue.empty() && text.find(o.evalue) == std::string::npos)
      text += "\n" + o.ename + ": " + o.evalue;
    parts.push_back({"output " + std::to_string(i + 1), std::move(text), false, false});
  }
  return parts;
}

std::optional<InjectionFinding> finding_in(const notebook::Cell& cell) {
  const auto parts = parts_of(cell);
  std::vector<detail::Normalized> normalized;
  for (const auto& part : parts) normalized.push_back(detail::normalize(part.text, !part.prose));
  auto finding = [&](const std::string& kind, const Part& part, std::string phrase) {
    return InjectionFinding{cell.number, kind, part.where, detail::excerpt(phrase, 80)};
  };
  // 1. Characters a person does not see.
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!normalized[i].invisible.empty())
      return finding("invisible_characters", parts[i], normalized[i].invisible.front());
  // 2. Markdown a person does not see: hidden elements always, comments when they read as an attempt.
  if (parts.front().markdown) {
    for (const auto& h : detail::hidden_markdown_text(parts.front().text)) {
      if (!h.comment) return finding("hidden_text", parts.front(), h.how + ": " + h.text);
      if (auto f = phrase_finding(detail::normalize(h.text, false).text, true))
        return finding("hidden_text", parts.front(), h.how + ": " + f->phrase);
    }
  }
  // 3. Encoded text: in markdown and raw cells whatever it says; elsewhere when it reads as an attempt.
  for (std::size_t i = 0; i < parts.size(); ++i) {
    for (const auto& blob : detail::encoded_text(parts[i].text)) {
      if (parts[i].prose)
        return finding("encoded_text", parts[i], blob.how + " decoding to \"" + blob.text + "\"");
      if (auto f = phrase_finding(detail::normalize(blob.text, true).text, true))
        return finding("encoded_text", parts[i], blob.how + " decoding to \"" + f->phrase + "\"");
    }
  }
  // 4. What the text says.
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (auto f = phrase_finding(normalized[i].text, false)) return finding(f->kind, parts[i], f->phrase);
  return std::nullopt;
}

}  // namespace

std::vector<InjectionFinding> detect_injection(const notebook::Notebook& nb) {
  std::vector<InjectionFinding> findings;
  for (const auto& cell : nb.cells)
    if (auto f = finding_in(cell)) findings.push_back(std::move(*f));
  return findings;
}

std::string describe_kind(const std::string& kind) {
  if (kind == "addressed_note") return "a note to the grader asking for a score, approval or silence";
  if (kind == "instruction_override") return "text that tries to replace the judge's instructions";
  if (kind == "authority_claim") return "a claim of authority or of a special mode";
  if (kind == "planted_score") return "a score written out for the judge";
  if (kind == "hidden_text") return "text hidden from a human reader";
  if (kind == "invisible_characters") return "invisible characters";
  if (kind == "encoded_text") return "encoded text";
  return kind;
}

}  // namespace judge::prompt
