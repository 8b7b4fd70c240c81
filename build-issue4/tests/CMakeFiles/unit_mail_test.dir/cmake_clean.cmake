file(REMOVE_RECURSE
  "CMakeFiles/unit_mail_test.dir/unit/mail_test.cpp.o"
  "CMakeFiles/unit_mail_test.dir/unit/mail_test.cpp.o.d"
  "unit_mail_test"
  "unit_mail_test.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/unit_mail_test.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
