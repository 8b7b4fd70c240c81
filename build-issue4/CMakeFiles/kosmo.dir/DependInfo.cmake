
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/fcgi/lib/audit.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/audit.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/audit.cpp.o.d"
  "/work/main/fcgi/lib/birth_date.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/birth_date.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/birth_date.cpp.o.d"
  "/work/main/fcgi/lib/config.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/config.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/config.cpp.o.d"
  "/work/main/fcgi/lib/crypto.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/crypto.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/crypto.cpp.o.d"
  "/work/main/fcgi/lib/csrf.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/csrf.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/csrf.cpp.o.d"
  "/work/main/fcgi/lib/db.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/db.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/db.cpp.o.d"
  "/work/main/fcgi/lib/form.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/form.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/form.cpp.o.d"
  "/work/main/fcgi/lib/http.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/http.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/http.cpp.o.d"
  "/work/main/fcgi/lib/log.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/log.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/log.cpp.o.d"
  "/work/main/fcgi/lib/mail.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/mail.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/mail.cpp.o.d"
  "/work/main/fcgi/lib/members.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/members.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/members.cpp.o.d"
  "/work/main/fcgi/lib/normalize.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/normalize.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/normalize.cpp.o.d"
  "/work/main/fcgi/lib/outbox.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/outbox.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/outbox.cpp.o.d"
  "/work/main/fcgi/lib/page.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/page.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/page.cpp.o.d"
  "/work/main/fcgi/lib/password.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/password.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/password.cpp.o.d"
  "/work/main/fcgi/lib/screen.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/screen.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/screen.cpp.o.d"
  "/work/main/fcgi/lib/session.cpp" "CMakeFiles/kosmo.dir/fcgi/lib/session.cpp.o" "gcc" "CMakeFiles/kosmo.dir/fcgi/lib/session.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
