# Empty compiler generated dependencies file for kosmo.
# This may be replaced when dependencies are built.
