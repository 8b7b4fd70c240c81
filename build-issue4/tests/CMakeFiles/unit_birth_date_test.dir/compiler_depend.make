# Empty compiler generated dependencies file for unit_birth_date_test.
# This may be replaced when dependencies are built.
