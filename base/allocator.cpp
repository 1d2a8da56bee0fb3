#include "base/allocator.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc: test it only after a C library header

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace minflow {

void keep_large_blocks_in_heap() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

}  // namespace minflow
