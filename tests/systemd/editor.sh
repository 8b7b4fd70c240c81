# shellcheck shell=bash
# The README's `editor FILE` lines, as the systemd test does them inside the
# container (sourced by inside.sh before a README block runs): the edits a
# sysadmin would make for this site, https://www.example.jp.
editor() {
  case $1 in
    /etc/kosmo/kosmo.conf)
      # The example's values fit: public_base_url https://www.example.jp,
      # smtp.url smtp://127.0.0.1:25 (the test's SMTP sink), MariaDB's socket.
      echo "editor $1: kept as installed" ;;
    /etc/nginx/sites-available/kosmo-http-redirect.conf)
      sed -i 's|https://\$host|https://www.example.jp|' "$1" ;;
    *)
      echo "editor: the test knows no edit of $1" >&2
      return 1 ;;
  esac
}
