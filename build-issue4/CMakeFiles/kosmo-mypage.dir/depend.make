# Empty dependencies file for kosmo-mypage.
# This may be replaced when dependencies are built.
