# sohoa_warnings: an INTERFACE target our own targets link PRIVATE; third-party code is untouched.
add_library(sohoa_warnings INTERFACE)
target_compile_options(sohoa_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2)
if(SOHOA_WERROR)
  target_compile_options(sohoa_warnings INTERFACE -Werror)
endif()
