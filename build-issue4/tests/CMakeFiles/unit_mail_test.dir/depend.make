# Empty dependencies file for unit_mail_test.
# This may be replaced when dependencies are built.
