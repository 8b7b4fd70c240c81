file(REMOVE_RECURSE
  "CMakeFiles/kosmo-mypage.dir/fcgi/screens/mypage.cpp.o"
  "CMakeFiles/kosmo-mypage.dir/fcgi/screens/mypage.cpp.o.d"
  "kosmo-mypage"
  "kosmo-mypage.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/kosmo-mypage.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
