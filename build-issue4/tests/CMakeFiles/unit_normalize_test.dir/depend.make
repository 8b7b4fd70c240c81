# Empty dependencies file for unit_normalize_test.
# This may be replaced when dependencies are built.
