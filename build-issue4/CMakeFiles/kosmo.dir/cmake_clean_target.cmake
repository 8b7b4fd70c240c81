file(REMOVE_RECURSE
  "libkosmo.a"
)
