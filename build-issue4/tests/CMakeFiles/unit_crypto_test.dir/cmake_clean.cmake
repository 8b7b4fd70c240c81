file(REMOVE_RECURSE
  "CMakeFiles/unit_crypto_test.dir/unit/crypto_test.cpp.o"
  "CMakeFiles/unit_crypto_test.dir/unit/crypto_test.cpp.o.d"
  "unit_crypto_test"
  "unit_crypto_test.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/unit_crypto_test.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
