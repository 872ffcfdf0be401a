# Every third-party library, found once, as an imported target. All come from Debian 12 packages
# installed by scripts/install-deps. Debian ships OpenCV's CMake config only with the 148-package
# libopencv-dev meta package, so the three modules we use are found directly.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
foreach(module core imgproc imgcodecs)
  find_library(OPENCV_${module}_LIBRARY opencv_${module} REQUIRED)
  add_library(opencv::${module} UNKNOWN IMPORTED)
  set_target_properties(opencv::${module} PROPERTIES
    IMPORTED_LOCATION "${OPENCV_${module}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OPENCV_INCLUDE_DIR}")
endforeach()
target_link_libraries(opencv::imgproc INTERFACE opencv::core)
target_link_libraries(opencv::imgcodecs INTERFACE opencv::core)

pkg_check_modules(TESSERACT REQUIRED IMPORTED_TARGET tesseract)
pkg_check_modules(LEPTONICA REQUIRED IMPORTED_TARGET lept)
pkg_check_modules(LIBJPEG REQUIRED IMPORTED_TARGET libjpeg)
pkg_check_modules(HUNSPELL REQUIRED IMPORTED_TARGET hunspell)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
find_package(ZLIB REQUIRED)
# The web app (apps/web): HTTP server, argon2id password hashes, PDF page rendering.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)

find_library(HPDF_LIBRARY hpdf REQUIRED)
find_path(HPDF_INCLUDE_DIR hpdf.h REQUIRED)
add_library(hpdf::hpdf UNKNOWN IMPORTED)
set_target_properties(hpdf::hpdf PROPERTIES
  IMPORTED_LOCATION "${HPDF_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${HPDF_INCLUDE_DIR}")

find_package(OpenSSL REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
find_path(TL_EXPECTED_INCLUDE_DIR tl/expected.hpp REQUIRED)
add_library(tl::expected INTERFACE IMPORTED)
set_target_properties(tl::expected PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${TL_EXPECTED_INCLUDE_DIR}")
add_library(CLI11::CLI11 INTERFACE IMPORTED)
set_target_properties(CLI11::CLI11 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CLI11_INCLUDE_DIR}")

if(SOHOA_TESTS)
  find_package(GTest REQUIRED)
endif()

# sohoa_module(NAME SOURCES... DEPS...): one static library per module, include root <module>/include.
function(sohoa_module name)
  cmake_parse_arguments(arg "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(sohoa_${name} STATIC ${arg_SOURCES})
  add_library(sohoa::${name} ALIAS sohoa_${name})
  target_include_directories(sohoa_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(sohoa_${name} PUBLIC ${arg_PUBLIC_DEPS}
                        PRIVATE ${arg_PRIVATE_DEPS} sohoa_warnings sohoa_sanitizers)
endfunction()

find_library(CSV_LIBRARY csv REQUIRED)
find_path(CSV_INCLUDE_DIR csv.h REQUIRED)
add_library(csv::csv UNKNOWN IMPORTED)
set_target_properties(csv::csv PROPERTIES
  IMPORTED_LOCATION "${CSV_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${CSV_INCLUDE_DIR}")
