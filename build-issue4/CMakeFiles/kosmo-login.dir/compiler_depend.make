# Empty compiler generated dependencies file for kosmo-login.
# This may be replaced when dependencies are built.
