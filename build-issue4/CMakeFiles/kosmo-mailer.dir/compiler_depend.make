# Empty compiler generated dependencies file for kosmo-mailer.
# This may be replaced when dependencies are built.
