file(REMOVE_RECURSE
  "CMakeFiles/unit_password_test.dir/unit/password_test.cpp.o"
  "CMakeFiles/unit_password_test.dir/unit/password_test.cpp.o.d"
  "unit_password_test"
  "unit_password_test.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/unit_password_test.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
