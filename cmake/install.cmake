# `cmake --install BUILD [--prefix DIR]`: the libraries (libminflow_base.a …
# libminflow_plot.a), their headers (under include/minflow/, included as
# "autograd/tensor.hpp" …), the minflow program, and a CMake package so that another project
# can `find_package(minflow)` and link `minflow::autograd`, `minflow::nn`, `minflow::flow` or
# `minflow::plot`. Only what a consumer needs to compile against the headers travels with the
# targets (minflow::public: XTENSOR_USE_XSIMD, -march, xtensor, xsimd, threads); the
# project's warnings and sanitizers do not.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Two export sets: the engine, and the plot library that needs Boost on top of it.
install(TARGETS minflow_public minflow_base minflow_autograd minflow_nn minflow_flow
        EXPORT minflowTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS minflow_plot EXPORT minflowPlotTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS minflow RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(folder base autograd autograd/kernels nn flow plot)
  file(GLOB headers ${PROJECT_SOURCE_DIR}/${folder}/*.hpp)
  install(FILES ${headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/minflow/${folder})
endforeach()

set(package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/minflow)
install(EXPORT minflowTargets NAMESPACE minflow:: DESTINATION ${package_dir})
install(EXPORT minflowPlotTargets NAMESPACE minflow:: DESTINATION ${package_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/minflowConfig.cmake.in
  ${PROJECT_BINARY_DIR}/minflowConfig.cmake INSTALL_DESTINATION ${package_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/minflowConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/minflowConfig.cmake
              ${PROJECT_BINARY_DIR}/minflowConfigVersion.cmake DESTINATION ${package_dir})
