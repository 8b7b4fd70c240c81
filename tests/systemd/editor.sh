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
      # As the README says: the https:// origin into `return`, the guard line deleted.
      sed -i -e 's|https://public-origin-not-set.invalid|https://www.example.jp|' \
        -e '/kosmo_public_origin_is_not_set/d' "$1"
      if grep -q 'public-origin-not-set\|kosmo_public_origin_is_not_set' "$1"; then
        echo "editor $1: the placeholder is still there" >&2
        return 1
      fi ;;
    *)
      echo "editor: the test knows no edit of $1" >&2
      return 1 ;;
  esac
}
