
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/fcgi/admin/kosmo_admin.cpp" "CMakeFiles/kosmo-admin.dir/fcgi/admin/kosmo_admin.cpp.o" "gcc" "CMakeFiles/kosmo-admin.dir/fcgi/admin/kosmo_admin.cpp.o.d"
  "/work/main/fcgi/admin/members_command.cpp" "CMakeFiles/kosmo-admin.dir/fcgi/admin/members_command.cpp.o" "gcc" "CMakeFiles/kosmo-admin.dir/fcgi/admin/members_command.cpp.o.d"
  "/work/main/fcgi/admin/migrate.cpp" "CMakeFiles/kosmo-admin.dir/fcgi/admin/migrate.cpp.o" "gcc" "CMakeFiles/kosmo-admin.dir/fcgi/admin/migrate.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build-issue4/CMakeFiles/kosmo.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
