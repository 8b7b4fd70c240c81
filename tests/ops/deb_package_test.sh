#!/bin/bash
# The Debian package: cpack -G DEB builds it from this build folder (into a
# scratch folder), and dpkg-deb shows what it holds: every program in
# /usr/sbin (stripped ELF), the units in /lib/systemd/system, the nginx and
# Apache sites and the example configuration as conffiles under /etc, the
# SQL migrations, templates, static files and data under /usr/share/kosmo,
# library dependencies from dpkg-shlibdeps, each once (libfcgi builds before
# the CVE-2025-23016 fix refused by Breaks), and maintainer scripts that
# create the kosmo user and /etc/kosmo and enable or start nothing.
#   tests/ops/deb_package_test.sh BUILD_DIR
source "$(dirname "$0")/ops_lib.sh"
build=$(realpath "$1")
ops_scratch "$build" deb-package
ops_built_screens

start=$SECONDS
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$OPS_TMP" >"$OPS_TMP/cpack.log" 2>&1 ||
  { tail -30 "$OPS_TMP/cpack.log" >&2; ops_die "cpack -G DEB failed"; }
shopt -s nullglob
debs=("$OPS_TMP"/kosmo-account_*.deb)
[ "${#debs[@]}" = 1 ] || ops_die "expected one kosmo-account_*.deb in $OPS_TMP, found ${#debs[@]}"
deb=${debs[0]}
ops_ok "cpack built ${deb##*/} ($(du -k "$deb" | cut -f1) KiB) in $((SECONDS - start)) s"

contents=$(dpkg-deb -c "$deb" | awk '{ print $1, $NF }')
info=$(dpkg-deb -I "$deb")
control=$(dpkg-deb -f "$deb")
expect_file() {  # expect_file MODE_PREFIX PATH
  grep -qxF -e "$1 ./${2#/}" <<<"$contents" && ops_ok "has $2" || ops_fail "no $2 (mode $1) in the package"
}

for name in "${OPS_SCREENS[@]}" mailer admin; do expect_file -rwxr-xr-x "/usr/sbin/kosmo-$name"; done
for unit in kosmo-screen@.socket kosmo-screen@.service kosmo-screens.target kosmo-mailer.service \
  kosmo-purge.service kosmo-purge.timer; do
  expect_file -rw-r--r-- "/lib/systemd/system/$unit"
done
for file in /etc/nginx/sites-available/kosmo.conf /etc/nginx/sites-available/kosmo-http-redirect.conf \
  /etc/nginx/kosmo_fastcgi_params /etc/apache2/sites-available/kosmo.conf /etc/kosmo/kosmo.conf.example \
  /usr/share/kosmo/ffdhe2048.pem /usr/share/kosmo/data/common-passwords.txt /usr/share/doc/kosmo-account/README.md; do
  expect_file -rw-r--r-- "$file"
done
for dir in sql templates templates/mail static; do
  for file in "$OPS_REPO/$dir"/*; do
    [ -f "$file" ] && expect_file -rw-r--r-- "/usr/share/kosmo/$dir/${file##*/}"
  done
done

# Everything under /etc is a conffile, and nothing else is.
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles | sort)
etc_files=$(awk '$1 ~ /^-/ && $2 ~ /^\.\/etc\// { print substr($2, 2) }' <<<"$contents" | sort)
[ "$conffiles" = "$etc_files" ] && ops_ok "conffiles: every file under /etc ($(wc -l <<<"$conffiles"))" ||
  ops_fail "conffiles and the files under /etc differ:"$'\n'"$(diff <(echo "$conffiles") <(echo "$etc_files"))"

for script in postinst prerm postrm; do
  grep -qE "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$script " <<<"$info" &&
    ops_ok "$script is an executable maintainer script" || ops_fail "no executable $script in the control archive"
done
postinst=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./postinst)
grep -q 'adduser --system --group' <<<"$postinst" && ops_ok "postinst creates the system user kosmo" ||
  ops_fail "postinst does not run adduser --system --group"
grep -q 'install -d -m 0750 -o root -g kosmo /etc/kosmo' <<<"$postinst" && ops_ok "postinst makes /etc/kosmo (0750 root:kosmo)" ||
  ops_fail "postinst does not make /etc/kosmo"
grep -q 'chmod 0600 /etc/kosmo/secrets.conf' <<<"$postinst" && ops_ok "postinst makes a 0600 secrets file" ||
  ops_fail "postinst does not make the secrets file 0600"
if grep -nE 'systemctl +(enable|start|restart)|deb-systemd-invoke|invoke-rc.d' <<<"$postinst"; then
  ops_fail "postinst enables or starts a service"
else
  ops_ok "postinst enables and starts nothing"
fi
for script in postinst prerm postrm; do
  dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - "./$script" | sh -n || ops_fail "$script: sh -n"
done

depends=$(sed -n 's/^Depends: //p' <<<"$control")
for library in libfcgi0ldbl libctemplate3 libmysqlcppconn7v5 libssl3 libcurl4 libargon2-1 libicu72; do
  grep -q "$library" <<<"$depends" || ops_fail "Depends lacks $library (dpkg-shlibdeps): $depends"
done
# Each package once in Depends (issue 14: libfcgi0ldbl was there twice), and
# the libfcgi builds before the CVE-2025-23016 fix refused by Breaks.
duplicates=$(tr ',' '\n' <<<"$depends" | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | sort | uniq -d)
[ -z "$duplicates" ] && ops_ok "Depends names each package once" ||
  ops_fail "Depends names $(echo $duplicates) more than once: $depends"
breaks=$(sed -n 's/^Breaks: //p' <<<"$control")
[ "$breaks" = 'libfcgi0ldbl (<< 2.4.2-2+deb12u1)' ] && ops_ok "Breaks libfcgi0ldbl before 2.4.2-2+deb12u1 (CVE-2025-23016)" ||
  ops_fail "Breaks is '$breaks', not 'libfcgi0ldbl (<< 2.4.2-2+deb12u1)'"

# The programs are stripped ELF executables.
dpkg-deb -x "$deb" "$OPS_TMP/root"
for program in "$OPS_TMP"/root/usr/sbin/kosmo-*; do
  description=$(file -b "$program")
  [[ $description == ELF*executable* && $description == *", stripped"* ]] ||
    ops_fail "${program##*/}: $description"
done
ops_finish
