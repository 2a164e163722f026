# The consumer test (cmake -P; arguments from tests/CMakeLists.txt): installs the library
# component of the build tree into a fresh prefix, builds tests/consumer against it with
# find_package, runs it and checks that it prints an assessment of the expected urgency. Every
# step starts from empty directories, so a stale install or build cannot make it pass.
foreach(argument build_dir work_dir source_dir generator cxx_compiler expected_version)
  if(NOT DEFINED ${argument})
    message(FATAL_ERROR "consumer.cmake: -D ${argument}=... is missing")
  endif()
endforeach()
if(NOT config)
  set(config Release)
endif()

set(prefix ${work_dir}/prefix)
set(consumer_build ${work_dir}/build)
file(REMOVE_RECURSE ${work_dir})
file(MAKE_DIRECTORY ${work_dir})

# Runs one step; on failure, says which and shows its output.
function(step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "consumer test: ${name} failed (${status}):\n  ${command}\n${out}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step("installing the library component"
     ${CMAKE_COMMAND} --install ${build_dir} --prefix ${prefix} --config ${config}
     --component Development)

set(make_program_option)
if(make_program)
  set(make_program_option -DCMAKE_MAKE_PROGRAM=${make_program})
endif()
# The installed headers are included as system headers; -Werror still holds the example itself
# to the project's warnings.
step("configuring the consumer"
     ${CMAKE_COMMAND} -S ${source_dir} -B ${consumer_build} -G ${generator} ${make_program_option}
     -DCMAKE_CXX_COMPILER=${cxx_compiler} -DCMAKE_BUILD_TYPE=${config}
     -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
     "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Werror")
string(REGEX MATCH "kneetriage ([^ ]*) found in ([^\n]*)" found "${step_output}")
if(NOT found)
  message(FATAL_ERROR "consumer test: the consumer did not report the package it found:\n"
                      "${step_output}")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL expected_version)
  message(FATAL_ERROR "consumer test: found kneetriage ${CMAKE_MATCH_1}, "
                      "expected ${expected_version}")
endif()
string(FIND "${CMAKE_MATCH_2}" "${prefix}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "consumer test: kneetriage was found in ${CMAKE_MATCH_2}, "
                      "not in the fresh install ${prefix}")
endif()

step("building the consumer" ${CMAKE_COMMAND} --build ${consumer_build} --config ${config})

find_program(consumer NAMES consumer PATHS ${consumer_build} ${consumer_build}/${config}
             NO_DEFAULT_PATH REQUIRED)
execute_process(COMMAND ${consumer} RESULT_VARIABLE status OUTPUT_VARIABLE document
                ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "consumer test: the consumer exited with ${status}:\n${errors}")
endif()
string(JSON schema ERROR_VARIABLE json_error GET "${document}" schema)
if(json_error)
  message(FATAL_ERROR "consumer test: the output is not an assessment (${json_error}):\n"
                      "${document}")
endif()
string(JSON urgency GET "${document}" urgency)
if(NOT schema STREQUAL "kneetriage/assessment/1" OR NOT urgency STREQUAL "urgent")
  message(FATAL_ERROR "consumer test: expected a kneetriage/assessment/1 document with urgency "
                      "\"urgent\", got schema \"${schema}\", urgency \"${urgency}\"")
endif()
message("${document}")
message(STATUS "consumer test: kneetriage ${expected_version} installed, found, linked; "
               "urgency ${urgency}")
