// Design notes: Debian's libtesseract links libgomp, which reads OMP_THREAD_LIMIT once, when the
// library is loaded, before main() runs. sohoa parallelises across pages with one engine per
// worker thread, and OpenMP teams inside each engine made a page several times slower on two
// cores. So when the variable is unset, main sets it to 1 and re-executes itself once; a value the
// user set is kept.
// Memory: a page is a few images of 9-26 MB (an A4 page at 300 dpi, grey or colour) and
// Tesseract's buffers, allocated and freed page after page. glibc's defaults give the big ones
// back to the kernel when freed (mmap, or trimming the heap), so the next page faults every 4 KB
// of them in again. Keeping freed memory for reuse (allocations up to 32 MB, glibc's maximum for
// the threshold, from the heap; no trimming), measured on four A4 pages ingested twice each way:
// 93,500 -> 70,300 page faults, pre-processing 0.49-0.56 -> 0.45-0.46 s, archive images
// 0.43-0.46 -> 0.31-0.32 s. The process keeps its peak size until it ends.

#include <cstdlib>
#include <iostream>

#include <malloc.h>
#include <unistd.h>

#include "cli.hpp"

int main(int argc, char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);  // returns only on failure: then run as we are
  }
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
  return sohoa::app::run_cli(argc, argv, std::cout, std::cerr);
}
