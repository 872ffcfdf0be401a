// Design notes: Debian's libtesseract links libgomp, which reads OMP_THREAD_LIMIT once, when the
// library is loaded, before main() runs. sohoa parallelises across pages with one engine per
// worker thread, and OpenMP teams inside each engine made a page several times slower on two
// cores. So when the variable is unset, main sets it to 1 and re-executes itself once; a value the
// user set is kept.

#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include "cli.hpp"

int main(int argc, char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);  // returns only on failure: then run as we are
  }
  return sohoa::app::run_cli(argc, argv, std::cout, std::cerr);
}
