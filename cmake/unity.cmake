# The folders of src/ are the design's modules, and each is compiled as one unit (a unity build):
# the heavy headers a module uses (nlohmann/json, CLI11) are parsed, and their code generated,
# once per module instead of once per file. A new source joins its folder's unit by being there;
# no list is kept by hand.

# Adds every .cpp under `root` (recursively; minus the files EXCLUDE and the first-level folders
# EXCLUDE_DIRS, both relative to `root`) to `target`, each in the unity group
# named by its first folder under `root` ("rules/loader/read.cpp" is in "rules"); files directly
# in `root` are in the group `top`.
function(kneetriage_add_sources_by_folder target root)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "TOP" "EXCLUDE;EXCLUDE_DIRS")
  if(NOT arg_TOP)
    set(arg_TOP top)
  endif()
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS RELATIVE ${root} ${root}/*.cpp)
  list(SORT sources)
  foreach(source IN LISTS sources)
    if(source IN_LIST arg_EXCLUDE)
      continue()
    endif()
    string(FIND "${source}" "/" slash)
    if(slash EQUAL -1)
      set(group ${arg_TOP})
    else()
      string(SUBSTRING "${source}" 0 ${slash} group)
      if(group IN_LIST arg_EXCLUDE_DIRS)
        continue()
      endif()
    endif()
    set_source_files_properties(${root}/${source} TARGET_DIRECTORY ${target}
                                PROPERTIES UNITY_GROUP ${group})
    target_sources(${target} PRIVATE ${root}/${source})
  endforeach()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ${KNEETRIAGE_UNITY}
                        UNITY_BUILD_MODE GROUP)
endfunction()
