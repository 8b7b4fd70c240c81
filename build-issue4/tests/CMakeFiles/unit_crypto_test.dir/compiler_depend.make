# Empty compiler generated dependencies file for unit_crypto_test.
# This may be replaced when dependencies are built.
