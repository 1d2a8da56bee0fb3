# `cmake --install BUILD [--prefix DIR]`: the libraries, their headers (under
# include/minflow/, included as "autograd/tensor.hpp" …), the minflow program, and a CMake
# package so that another project can `find_package(minflow)` and link `minflow::flow`.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(minflow_options PROPERTIES EXPORT_NAME options)
install(TARGETS minflow_options autograd nn flow EXPORT minflowTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS minflow RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(folder autograd autograd/kernels nn flow)
  file(GLOB headers ${PROJECT_SOURCE_DIR}/${folder}/*.hpp)
  install(FILES ${headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/minflow/${folder})
endforeach()

set(package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/minflow)
install(EXPORT minflowTargets NAMESPACE minflow:: DESTINATION ${package_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/minflowConfig.cmake.in
  ${PROJECT_BINARY_DIR}/minflowConfig.cmake INSTALL_DESTINATION ${package_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/minflowConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/minflowConfig.cmake
              ${PROJECT_BINARY_DIR}/minflowConfigVersion.cmake DESTINATION ${package_dir})
