// The catalogues: sources, citations (their source), urgencies (withhold and frequency by kind),
// causes, advice items, exercises and plan steps (their kind and sources).
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "rules/loader/loader.hpp"

namespace kneetriage::detail {

void RulesLoader::load_sources(const json* array) {
  for_each_entry(array, "/sources", "a source", [&](const json& j, const std::string& p) {
    check_keys(j, p, {"id", "title", "author", "publisher", "url"});
    Source source;
    source.id = string_member(j, "id", p, true);
    source.title = string_member(j, "title", p, true);
    source.author = string_member(j, "author", p, false);
    source.publisher = string_member(j, "publisher", p, false);
    source.url = string_member(j, "url", p, false);
    rules_.sources.push_back(std::move(source));
  });
}

void RulesLoader::load_citations(const json* array) {
  for_each_entry(array, "/citations", "a citation", [&](const json& j, const std::string& p) {
    check_keys(j, p, {"id", "source", "point", "quote"});
    Citation citation;
    citation.id = string_member(j, "id", p, true);
    const auto source = string_member(j, "source", p, true);
    if (!source.empty()) {
      if (const auto index = sources_.find(source)) {
        citation.source = *index;
      } else {
        error(pointer_append(p, "source"), fmt::format("unknown source '{}'", source),
              suggest(source, sources_.ids, "known sources"));
      }
    }
    citation.point = string_member(j, "point", p, true);
    citation.quote = string_member(j, "quote", p, false);
    rules_.citations.push_back(std::move(citation));
  });
}

FrequencyByKind RulesLoader::frequency_by_kind(const json& j, const std::string& p) {
  FrequencyByKind out;
  const json* frequency = member(j, "frequency", p, false);
  if (frequency == nullptr) return out;
  const auto fp = pointer_append(p, "frequency");
  if (!expect_object(*frequency, fp, "'frequency'")) return out;
  for (auto it = frequency->begin(); it != frequency->end(); ++it) {
    if (it.key().starts_with('$')) continue;  // "$comment", as anywhere else
    const auto kp = pointer_append(fp, it.key());
    check_kind(it.key(), kp);
    if (!it->is_string() || detail::trim(it->get<std::string>()).empty()) {
      error(kp, "a frequency must be a non-empty string", R"(e.g. "activation": "daily, gently")");
      continue;
    }
    out.emplace_back(it.key(), it->get<std::string>());
  }
  return out;
}

void RulesLoader::load_urgencies(const json* array) {
  if (array != nullptr && array->empty()) {
    error("/urgencies", "there must be at least one urgency level",
          "list them from the highest (e.g. emergency) to the lowest (e.g. self-care)");
  }
  for_each_entry(array, "/urgencies", "an urgency", [&](const json& j, const std::string& p) {
    check_keys(j, p,
               {"id", "title", "action", "withhold", "frequency", "on_hold", "safety_net",
                "partial_result"});
    Urgency urgency;
    urgency.id = string_member(j, "id", p, true);
    urgency.title = string_member(j, "title", p, true);
    urgency.action = string_member(j, "action", p, true);
    urgency.withhold = kinds(j, "withhold", p, false);
    urgency.on_hold = string_member(j, "on_hold", p, false);
    urgency.safety_net = string_member(j, "safety_net", p, false);
    urgency.frequency = frequency_by_kind(j, p);
    if (const json* partial = member(j, "partial_result", p, false)) {
      if (partial->is_boolean()) {
        urgency.partial_result = partial->get<bool>();
      } else {
        error(pointer_append(p, "partial_result"), "'partial_result' must be true or false",
              "true gives a result at this level at once, marked partial, when every way of "
              "completing the answers reaches it");
      }
    }
    rules_.urgencies.push_back(std::move(urgency));
  });
}

void RulesLoader::load_causes(const json* array) {
  for_each_entry(array, "/causes", "a cause", [&](const json& j, const std::string& p) {
    check_keys(j, p, {"id", "title", "explanation", "kind", "source"});
    Cause cause;
    cause.id = string_member(j, "id", p, true);
    cause.title = string_member(j, "title", p, true);
    cause.explanation = string_member(j, "explanation", p, true);
    cause.kind = string_member(j, "kind", p, false);
    if (!cause.kind.empty()) check_kind(cause.kind, pointer_append(p, "kind"));
    cause.source = sources_of(j, p);
    rules_.causes.push_back(std::move(cause));
  });
}

void RulesLoader::load_advice(const json* array) {
  for_each_entry(array, "/advice", "an advice item", [&](const json& j, const std::string& p) {
    check_keys(j, p, {"id", "text", "kind", "detail", "source"});
    AdviceItem item;
    item.id = string_member(j, "id", p, true);
    item.text = string_member(j, "text", p, true);
    item.kind = string_member(j, "kind", p, false);
    if (j.contains("kind") && !item.kind.empty()) check_kind(item.kind, pointer_append(p, "kind"));
    if (const json* detail = member(j, "detail", p, false)) {
      if (detail->is_boolean()) {
        item.detail = detail->get<bool>();
      } else {
        error(pointer_append(p, "detail"), "'detail' must be true or false",
              "true leaves the item out of the default text result");
      }
    }
    item.source = sources_of(j, p);
    rules_.advice.push_back(std::move(item));
  });
}

void RulesLoader::load_exercises(const json* array) {
  for_each_entry(array, "/exercises", "an exercise", [&](const json& j, const std::string& p) {
    check_keys(j, p, {"id", "name", "kind", "how", "dose", "frequency", "cues", "start", "source"});
    Exercise exercise;
    exercise.id = string_member(j, "id", p, true);
    exercise.name = string_member(j, "name", p, true);
    exercise.kind = string_member(j, "kind", p, true);
    if (!exercise.kind.empty()) check_kind(exercise.kind, pointer_append(p, "kind"));
    exercise.how = string_member(j, "how", p, true);
    exercise.dose = string_member(j, "dose", p, true);
    exercise.frequency = string_member(j, "frequency", p, true);
    exercise.cues = string_list_member(j, "cues", p, true);
    exercise.start = string_member(j, "start", p, true);
    exercise.source = sources_of(j, p);
    rules_.exercises.push_back(std::move(exercise));
  });
}

void RulesLoader::load_plan(const json* array) {
  for_each_entry(array, "/plan", "a plan step", [&](const json& j, const std::string& p) {
    check_keys(j, p, {"id", "kind", "text", "source"});
    PlanStep step;
    step.id = string_member(j, "id", p, true);
    step.kind = string_member(j, "kind", p, true);
    if (!step.kind.empty()) check_kind(step.kind, pointer_append(p, "kind"));
    step.text = string_member(j, "text", p, true);
    step.source = sources_of(j, p);
    rules_.plan.push_back(std::move(step));
  });
}

}  // namespace kneetriage::detail
