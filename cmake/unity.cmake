# The core and the program are each compiled as one unit (a unity build): the heavy headers
# (nlohmann/json, fmt, CLI11) are parsed, and their templates instantiated and optimised, once per
# library instead of once per file or per folder. One unit per library costs about 40% of the CPU
# of one per folder (docs/benchmarks.md, "Build cost"), which is what a new user waits on first.
# With KNEETRIAGE_UNITY_BY_FOLDER=ON each folder of src/ (the design's modules) is a unit of its
# own: for development, where a change recompiles only its folder. A new source joins its unit by
# being in its folder; no list is kept by hand.

# Adds every .cpp under `root` (recursively; minus the files EXCLUDE and the first-level folders
# EXCLUDE_DIRS, both relative to `root`) to `target`, in one unity group named after TOP (default
# `top`), or, with KNEETRIAGE_UNITY_BY_FOLDER, each in the group named by its first folder under
# `root` ("rules/loader/read.cpp" is in "rules"; files directly in `root` are in TOP's group).
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
    set(group ${arg_TOP})
    string(FIND "${source}" "/" slash)
    if(NOT slash EQUAL -1)
      string(SUBSTRING "${source}" 0 ${slash} folder)
      if(folder IN_LIST arg_EXCLUDE_DIRS)
        continue()
      endif()
      if(KNEETRIAGE_UNITY_BY_FOLDER)
        set(group ${folder})
      endif()
    endif()
    set_source_files_properties(${root}/${source} TARGET_DIRECTORY ${target}
                                PROPERTIES UNITY_GROUP ${group})
    target_sources(${target} PRIVATE ${root}/${source})
  endforeach()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ${KNEETRIAGE_UNITY}
                        UNITY_BUILD_MODE GROUP)
endfunction()
