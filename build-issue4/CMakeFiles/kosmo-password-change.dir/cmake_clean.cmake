file(REMOVE_RECURSE
  "CMakeFiles/kosmo-password-change.dir/fcgi/screens/password_change.cpp.o"
  "CMakeFiles/kosmo-password-change.dir/fcgi/screens/password_change.cpp.o.d"
  "kosmo-password-change"
  "kosmo-password-change.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/kosmo-password-change.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
