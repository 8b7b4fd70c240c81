file(REMOVE_RECURSE
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/delivery.cpp.o"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/delivery.cpp.o.d"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/kosmo_mailer.cpp.o"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/kosmo_mailer.cpp.o.d"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/outbox_claims.cpp.o"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/outbox_claims.cpp.o.d"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/smtp_sender.cpp.o"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/smtp_sender.cpp.o.d"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/stop_signal.cpp.o"
  "CMakeFiles/kosmo-mailer.dir/fcgi/mailer/stop_signal.cpp.o.d"
  "kosmo-mailer"
  "kosmo-mailer.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/kosmo-mailer.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
