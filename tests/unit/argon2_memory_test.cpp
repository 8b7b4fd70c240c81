// argon2_memory: the block libargon2 works in is mapped per hash, aligned for
// transparent huge pages, and whole from its first byte to its last.
#define BOOST_TEST_MODULE argon2_memory
#include <boost/test/unit_test.hpp>

#include "argon2_memory.h"

#include <argon2.h>

#include <cstring>

using namespace kosmo;

namespace {
constexpr std::size_t kOurBlockBytes = std::size_t{19456} * 1024;  // m=19456 KiB
constexpr std::uintptr_t kHugePageBytes = std::uintptr_t{2} << 20;
}  // namespace

BOOST_AUTO_TEST_CASE(block_is_huge_page_aligned_and_writable_end_to_end) {
  uint8_t* block = nullptr;
  BOOST_REQUIRE_EQUAL(map_argon2_memory(&block, kOurBlockBytes), ARGON2_OK);
  BOOST_REQUIRE(block != nullptr);
  BOOST_TEST(reinterpret_cast<std::uintptr_t>(block) % kHugePageBytes == 0u);
  std::memset(block, 0xA5, kOurBlockBytes);
  BOOST_TEST(block[0] == 0xA5);
  BOOST_TEST(block[kOurBlockBytes - 1] == 0xA5);
  unmap_argon2_memory(block, kOurBlockBytes);
}

// Small blocks (a weaker stored hash, m=8) and repeated use take the same path.
BOOST_AUTO_TEST_CASE(blocks_of_any_size_can_be_mapped_again_and_again) {
  for (const std::size_t bytes : {std::size_t{8} * 1024, kOurBlockBytes, kOurBlockBytes + 1}) {
    for (int round = 0; round < 3; ++round) {
      uint8_t* block = nullptr;
      BOOST_REQUIRE_EQUAL(map_argon2_memory(&block, bytes), ARGON2_OK);
      block[bytes - 1] = 1;
      unmap_argon2_memory(block, bytes);
    }
  }
}

BOOST_AUTO_TEST_CASE(unmapping_nothing_is_harmless) { unmap_argon2_memory(nullptr, kOurBlockBytes); }
