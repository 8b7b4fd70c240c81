# Empty dependencies file for kosmo-password-change.
# This may be replaced when dependencies are built.
