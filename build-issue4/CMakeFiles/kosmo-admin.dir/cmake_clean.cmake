file(REMOVE_RECURSE
  "CMakeFiles/kosmo-admin.dir/fcgi/admin/kosmo_admin.cpp.o"
  "CMakeFiles/kosmo-admin.dir/fcgi/admin/kosmo_admin.cpp.o.d"
  "CMakeFiles/kosmo-admin.dir/fcgi/admin/members_command.cpp.o"
  "CMakeFiles/kosmo-admin.dir/fcgi/admin/members_command.cpp.o.d"
  "CMakeFiles/kosmo-admin.dir/fcgi/admin/migrate.cpp.o"
  "CMakeFiles/kosmo-admin.dir/fcgi/admin/migrate.cpp.o.d"
  "kosmo-admin"
  "kosmo-admin.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/kosmo-admin.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
