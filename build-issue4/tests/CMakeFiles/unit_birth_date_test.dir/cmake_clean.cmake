file(REMOVE_RECURSE
  "CMakeFiles/unit_birth_date_test.dir/unit/birth_date_test.cpp.o"
  "CMakeFiles/unit_birth_date_test.dir/unit/birth_date_test.cpp.o.d"
  "unit_birth_date_test"
  "unit_birth_date_test.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/unit_birth_date_test.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
