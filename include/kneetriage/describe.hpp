// Words for the rules' structures, shared by every front end and the library's messages: how a
// question is given as a flag, how an answer reads, and how a condition reads (in text and as
// JSON). The text is not made safe for a terminal: a front end that prints it does that.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "kneetriage/answers.hpp"
#include "kneetriage/condition.hpp"
#include "kneetriage/rules.hpp"

namespace kneetriage {

// "a, b, c" with any separator.
[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view separator);

// "--knees"; underscores in the id become dashes ("--weight-bearing"), as a flag is typed.
[[nodiscard]] std::string flag_name(const Question& question);

// What the flag takes, for --help and messages: "both|one", "yes|no", "0-10", "front,outer,…".
[[nodiscard]] std::string flag_values(const Question& question);

// An answer as typed after its flag: yes/no, 7, both, front,outer.
[[nodiscard]] std::string flag_value(const Value& value);

// An answer as a person reads it: the choice's label ("Both knees"), yes/no, a number.
[[nodiscard]] std::string answer_label(const Question& question, const Value& value);

// The one-shot command line that gives these answers: "kneetriage --knees both --hot no".
[[nodiscard]] std::string command_line(const RuleSet& rules, const Answers& answers);

// A complete example answer set: each question that applies in turn gets the first of its
// answers (no before yes, the minimum) that raises no red flag, so the example is an ordinary case.
[[nodiscard]] Answers example_answers(const RuleSet& rules);

// A condition in rules-file words: `knees equal "both" and not (hot equal true)`.
[[nodiscard]] std::string describe(const Condition& condition, const RuleSet& rules);

// A condition in plain words, for everything a runner reads (help, the man page, `questions`,
// the --explain trace, messages): "swollen or hot or red", "knees is one", "severity is mild or
// moderate", "can put weight on the leg: no". A question is named by its `short` text, else by
// its id with spaces; a yes/no question with a `short` text reads as that text when the answer
// is yes. describe() keeps the rules file's own words, for rule authors.
[[nodiscard]] std::string describe_plainly(const Condition& condition, const RuleSet& rules);

// One leaf in plain words, as describe_plainly reads it; `negated` reads it as false (a leaf
// under a `not`): "started with a fall, twist or pop: no".
[[nodiscard]] std::string describe_leaf_plainly(const Condition& leaf, const RuleSet& rules,
                                                bool negated = false);

// One leaf condition: `swelling equal true`.
[[nodiscard]] std::string describe_leaf(const Condition& leaf, const RuleSet& rules);

// A condition back in json-rules-engine syntax, as in the rules file.
[[nodiscard]] nlohmann::ordered_json condition_to_json(const Condition& condition,
                                                       const RuleSet& rules);

}  // namespace kneetriage
