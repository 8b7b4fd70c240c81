file(REMOVE_RECURSE
  "CMakeFiles/unit_normalize_test.dir/unit/normalize_test.cpp.o"
  "CMakeFiles/unit_normalize_test.dir/unit/normalize_test.cpp.o.d"
  "unit_normalize_test"
  "unit_normalize_test.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/unit_normalize_test.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
