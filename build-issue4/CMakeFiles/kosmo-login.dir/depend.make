# Empty dependencies file for kosmo-login.
# This may be replaced when dependencies are built.
