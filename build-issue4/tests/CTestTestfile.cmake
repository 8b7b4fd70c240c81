# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build-issue4/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[unit.birth_date_test]=] "/work/main/build-issue4/tests/unit_birth_date_test")
set_tests_properties([=[unit.birth_date_test]=] PROPERTIES  LABELS "unit" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test([=[unit.crypto_test]=] "/work/main/build-issue4/tests/unit_crypto_test")
set_tests_properties([=[unit.crypto_test]=] PROPERTIES  LABELS "unit" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test([=[unit.mail_test]=] "/work/main/build-issue4/tests/unit_mail_test")
set_tests_properties([=[unit.mail_test]=] PROPERTIES  LABELS "unit" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test([=[unit.normalize_test]=] "/work/main/build-issue4/tests/unit_normalize_test")
set_tests_properties([=[unit.normalize_test]=] PROPERTIES  LABELS "unit" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test([=[unit.password_test]=] "/work/main/build-issue4/tests/unit_password_test")
set_tests_properties([=[unit.password_test]=] PROPERTIES  LABELS "unit" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;0;")
subdirs("integration")
