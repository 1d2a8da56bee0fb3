// A process-wide allocator setting that minflow's programs choose to make; the libraries
// never change process-wide settings on their own (a static initializer would do it for
// every program that links them, wanted or not).
#pragma once

namespace minflow {

// Keeps large blocks (up to 256 MB) in glibc's heap instead of mmap/munmap-ing each one.
// Every op allocates its result (a 2048×64 float array is 512 KB): served by mmap, each
// allocation got fresh zeroed pages from the kernel, a third of a training step. With
// this, the next step reuses the freed blocks. Call once at the start of main(); a no-op
// on C libraries other than glibc.
void keep_large_blocks_in_heap();

}  // namespace minflow
