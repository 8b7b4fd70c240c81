# Empty dependencies file for unit_password_test.
# This may be replaced when dependencies are built.
