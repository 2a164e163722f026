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

# GCC collects the garbage of its own heap each time the heap has grown past a threshold it takes
# from the machine's memory, at most 128 MB. A unity unit grows to about 1 GB, so the collector
# walks an ever larger heap again and again. With memory to spare, the threshold is raised past
# what any unit here reaches, so no collection runs: the object code is the same byte for byte,
# the core unit costs 8–14% less CPU and peaks at about 1.5 GB instead of 1.0
# (docs/benchmarks.md, "Build cost"). Machines under 8 GiB keep GCC's own setting.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND KNEETRIAGE_UNITY)
  cmake_host_system_information(RESULT kneetriage_memory_mib QUERY TOTAL_PHYSICAL_MEMORY)
  if(kneetriage_memory_mib GREATER_EQUAL 8192)
    add_compile_options(--param=ggc-min-heapsize=2097152)
  endif()
endif()
