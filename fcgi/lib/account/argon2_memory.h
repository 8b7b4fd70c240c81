// argon2_memory: where libargon2 takes its 19 MiB working block. Through malloc
// the freed block stayed resident in each worker thread's heap (glibc raises
// its mmap threshold after the first big free), 4 workers x 19 MiB; mapped
// here, it goes back to the kernel when the hash ends.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kosmo {

// argon2_context.allocate_cbk: maps a fresh block aligned to 2 MiB and asks for
// transparent huge pages, so faulting it in costs about ten faults, not
// about five thousand. Leaves *memory null when the kernel refuses, which
// libargon2 reports as ARGON2_MEMORY_ALLOCATION_ERROR.
int map_argon2_memory(uint8_t** memory, std::size_t bytes);

// argon2_context.free_cbk: unmaps the block (libargon2 has wiped it already).
void unmap_argon2_memory(uint8_t* memory, std::size_t bytes);

}  // namespace kosmo
