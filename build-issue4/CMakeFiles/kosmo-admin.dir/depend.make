# Empty dependencies file for kosmo-admin.
# This may be replaced when dependencies are built.
