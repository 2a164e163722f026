# The core as a package other CMake projects find with find_package(kneetriage) and link as
# kneetriage::core (docs/library.md). All of it is in the install component "Development", so
# that `cmake --install build --component Development` installs the library alone.
include(CMakePackageConfigHelpers)

set(kneetriage_package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/kneetriage)

install(TARGETS kneetriage_core EXPORT kneetriageTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development
        FILE_SET HEADERS DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT Development)
install(EXPORT kneetriageTargets NAMESPACE kneetriage:: DESTINATION ${kneetriage_package_dir}
        COMPONENT Development)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/kneetriageConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/kneetriageConfig.cmake
                              INSTALL_DESTINATION ${kneetriage_package_dir})
# Before 1.0 a minor release may change the interface, so only the same major.minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kneetriageConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kneetriageConfig.cmake
              ${PROJECT_BINARY_DIR}/kneetriageConfigVersion.cmake
        DESTINATION ${kneetriage_package_dir} COMPONENT Development)
