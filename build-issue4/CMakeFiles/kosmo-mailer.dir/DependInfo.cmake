
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/fcgi/mailer/delivery.cpp" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/delivery.cpp.o" "gcc" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/delivery.cpp.o.d"
  "/work/main/fcgi/mailer/kosmo_mailer.cpp" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/kosmo_mailer.cpp.o" "gcc" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/kosmo_mailer.cpp.o.d"
  "/work/main/fcgi/mailer/outbox_claims.cpp" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/outbox_claims.cpp.o" "gcc" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/outbox_claims.cpp.o.d"
  "/work/main/fcgi/mailer/smtp_sender.cpp" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/smtp_sender.cpp.o" "gcc" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/smtp_sender.cpp.o.d"
  "/work/main/fcgi/mailer/stop_signal.cpp" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/stop_signal.cpp.o" "gcc" "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/stop_signal.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build-issue4/CMakeFiles/kosmo.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
