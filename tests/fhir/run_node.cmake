# Runs node with the arguments after `--`, for the FHIR tests (tests/fhir/CMakeLists.txt):
#   cmake -P run_node.cmake -- check_fhir.cjs ARGS...
# node is looked for when the test runs, so installing it after configuring is enough. Without
# it the test fails (it is never skipped) and says how to install it.
find_program(node_program node)
if(NOT node_program)
  message(FATAL_ERROR "node is not installed, and the FHIR tests need it (with npm and the "
                      "modules tests/fhir/package-lock.json pins): run `bash .ci/install-deps --test`")
endif()
set(node_args "")
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_dashes)
    list(APPEND node_args "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()
execute_process(COMMAND "${node_program}" ${node_args} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "node ${node_args}: exit status ${status}")
endif()
