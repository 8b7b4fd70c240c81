// argon2_memory: an mmap-backed allocator for libargon2 (see argon2_memory.h).
#include "argon2_memory.h"

#include <argon2.h>
#include <sys/mman.h>

namespace kosmo {
namespace {

// The x86-64 and arm64 (4 KiB base page) size of a transparent huge page.
constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

std::size_t round_up_to_huge_page(std::size_t bytes) {
  return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
}

}  // namespace

int map_argon2_memory(uint8_t** memory, std::size_t bytes) {
  *memory = nullptr;
  // 19 MiB rounds up to 20: the last huge page is whole, not a tail of small ones.
  const std::size_t length = round_up_to_huge_page(bytes);
  // mmap only promises 4 KiB alignment: map one huge page more and cut the
  // unaligned head and the rest of the slack off again.
  const std::size_t reserved = length + kHugePageBytes;
  void* mapped = ::mmap(nullptr, reserved, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) return ARGON2_MEMORY_ALLOCATION_ERROR;
  auto* const base = static_cast<uint8_t*>(mapped);
  const auto address = reinterpret_cast<std::uintptr_t>(base);
  const std::size_t head = (kHugePageBytes - address % kHugePageBytes) % kHugePageBytes;
  const std::size_t tail = reserved - head - length;
  if (head != 0) ::munmap(base, head);
  if (tail != 0) ::munmap(base + head + length, tail);
  uint8_t* const block = base + head;
  // Both are advice: with THP set to "never", or on a kernel before 5.14
  // (no MADV_POPULATE_WRITE), the block is still good and faults in page by page.
  ::madvise(block, length, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_WRITE
  // One call instead of a fault per page while argon2 fills the block.
  ::madvise(block, length, MADV_POPULATE_WRITE);
#endif
  *memory = block;
  return ARGON2_OK;
}

void unmap_argon2_memory(uint8_t* memory, std::size_t bytes) {
  if (memory == nullptr) return;
  ::munmap(memory, round_up_to_huge_page(bytes));
}

}  // namespace kosmo
