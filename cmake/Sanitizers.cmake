# sohoa_sanitizers: INTERFACE target, linked PRIVATE by our targets; empty unless SOHOA_SANITIZE is set.
add_library(sohoa_sanitizers INTERFACE)
if(SOHOA_SANITIZE)
  target_compile_options(sohoa_sanitizers INTERFACE -fsanitize=${SOHOA_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(sohoa_sanitizers INTERFACE -fsanitize=${SOHOA_SANITIZE})
endif()
