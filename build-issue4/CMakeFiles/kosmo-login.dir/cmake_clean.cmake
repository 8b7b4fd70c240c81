file(REMOVE_RECURSE
  "CMakeFiles/kosmo-login.dir/fcgi/screens/login.cpp.o"
  "CMakeFiles/kosmo-login.dir/fcgi/screens/login.cpp.o.d"
  "kosmo-login"
  "kosmo-login.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/kosmo-login.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
