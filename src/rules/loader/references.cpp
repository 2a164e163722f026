// Ids: each catalogue's ids are registered before anything refers to them (valid, unique), and
// lists of ids are resolved against them ("unknown cause 'x'", with a suggestion).
// Part of the rules loader: the map of the stages is at the top of src/rules/rules.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "rules/loader/loader.hpp"

namespace kneetriage::detail {

bool RulesLoader::is_id(std::string_view text, bool allow_upper) {
  if (text.empty() || text.size() > 64) return false;
  const auto is_letter = [&](char c) {
    return (c >= 'a' && c <= 'z') || (allow_upper && c >= 'A' && c <= 'Z');
  };
  if (!is_letter(text.front())) return false;
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return is_letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Registers the ids of one catalogue (array of objects with "id") before anything refers to it.
void RulesLoader::register_ids(const json* array, const std::string& array_pointer,
                               Catalogue& catalogue, bool allow_upper) {
  if (array == nullptr) return;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& entry = (*array)[i];
    const auto pointer = pointer_append(array_pointer, i);
    if (!entry.is_object()) continue;  // reported when the entry itself is read
    const auto it = entry.find("id");
    if (it == entry.end() || !it->is_string()) continue;
    const auto id = it->get<std::string>();
    const auto id_pointer = pointer_append(pointer, "id");
    if (!is_id(id, allow_upper)) {
      error(id_pointer, fmt::format("'{}' is not a valid {} id", id, catalogue.label),
            allow_upper ? "use letters, digits, '-' and '_', starting with a letter"
                        : "use lower-case letters, digits, '-' and '_', starting with a letter");
    }
    if (const auto existing = catalogue.find(id)) {
      error(id_pointer, fmt::format("duplicate {} id '{}'", catalogue.label, id),
            fmt::format("it is already defined at {}; ids must be unique",
                        catalogue.pointers[*existing]));
      continue;
    }
    catalogue.index.emplace(id, catalogue.ids.size());
    catalogue.ids.push_back(id);
    catalogue.pointers.push_back(pointer);
  }
}

// Resolves a list of ids against a catalogue.
Indices RulesLoader::references(const json& object, std::string_view key,
                                const std::string& pointer, const Catalogue& catalogue,
                                bool required) {
  Indices out;
  const json* value = member(object, key, pointer, required);
  if (value == nullptr) return out;
  const auto list_pointer = [&] { return pointer_append(pointer, key); };
  if (!value->is_array()) {
    error(list_pointer(), fmt::format("'{}' must be an array of {} ids, found {}", key,
                                      catalogue.label, kind_of(*value)));
    return out;
  }
  if (required && value->empty()) {
    error(list_pointer(), fmt::format("'{}' must not be empty", key),
          fmt::format("name at least one {}", catalogue.label));
  }
  out.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    const auto& element = (*value)[i];
    // The pointer is only built for a message: most lists are fine, and it costs an allocation.
    if (!element.is_string()) {
      error(pointer_append(list_pointer(), i), fmt::format("expected a {} id (a string), found {}",
                                                           catalogue.label, kind_of(element)));
      continue;
    }
    const auto& id = element.get_ref<const std::string&>();
    if (const auto index = catalogue.find(id)) {
      out.push_back(*index);
    } else {
      error(pointer_append(list_pointer(), i), fmt::format("unknown {} '{}'", catalogue.label, id),
            suggest(id, catalogue.ids, "known " + catalogue.label + " ids"));
    }
  }
  return out;
}

Indices RulesLoader::sources_of(const json& object, const std::string& pointer) {
  return references(object, "source", pointer, citations_, true);
}

}  // namespace kneetriage::detail
