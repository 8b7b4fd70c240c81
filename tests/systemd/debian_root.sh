# shellcheck shell=bash
# The Debian 12 root file system the systemd test boots (sourced by
# debian12_test.sh): debootstrap, then apt-get inside it for systemd, dbus,
# MariaDB, nginx, the tools the checks use and every dependency of the
# package, so that `apt-get install ./kosmo-account_*.deb` inside the booted
# container (which has no network: --private-network) finds them all.
#
# A root costs about 4 minutes cold, so it is kept in a cache folder outside
# the clone (KOSMO_TEST_CACHE, /var/cache/kosmo-test by default), named after
# a hash of what went into it: the package list, the mirror and this file.
# A changed Depends of the package, or a change here, makes a new one. The
# test never writes to a cached root: it boots an overlay of it.

# The packages of the root besides the package's own dependencies: PID 1 and
# the bus, the servers the README installs, and what the checks run inside
# (curl, openssl for the README's certificate, procps, python3-aiosmtpd for
# scripts/smtp_sink.py).
kosmo_root_base_packages=(systemd systemd-sysv dbus libpam-systemd mariadb-server nginx curl ca-certificates
  openssl procps iproute2 python3 python3-aiosmtpd)

# debian_root_mirror SUITE: the URI this machine's apt already uses for
# SUITE/main (from apt-cache policy, so no host is written into the repo).
debian_root_mirror() {
  apt-cache policy | awk -v suite="$1/main" '$3 == suite && $4 == "amd64" { print $2; exit }'
}

# debian_root_packages DEB: the base list plus the package's Depends, one
# name a line, sorted: the first of each set of alternatives, without
# versions (apt checks those when the package is installed).
debian_root_packages() {
  local depends
  depends=$(dpkg-deb -f "$1" Depends)
  {
    printf '%s\n' "${kosmo_root_base_packages[@]}"
    tr ',' '\n' <<<"$depends" | sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g' -e '/^$/d'
  } | sort -u
}

# debian_root_ensure DEB CACHE: prints the path of a complete cached root
# for DEB's dependencies, making it first if there is none. Two test runs at
# once: the second waits on the lock and then finds the root made.
debian_root_ensure() {
  local deb=$1 cache=$2 release main updates security packages key root
  release=$(. /etc/os-release && echo "$VERSION_CODENAME")
  main=$(debian_root_mirror "$release")
  updates=$(debian_root_mirror "$release-updates")
  security=$(debian_root_mirror "$release-security")
  [ -n "$main" ] || { echo "no apt source for $release/main on this machine" >&2; return 1; }
  packages=$(debian_root_packages "$deb")
  key=$( { echo "$release $main $updates $security"; echo "$packages"; cat "${BASH_SOURCE[0]}"; } |
    sha256sum | cut -c1-16)
  root=$cache/debian-$release-$key
  mkdir -p -- "$cache"
  exec {lock}>"$cache/.lock"
  flock "$lock"
  if [ ! -e "$root/complete" ]; then
    echo "making the Debian root $root (debootstrap, about 4 minutes)" >&2
    rm -rf -- "$root.partial"
    mkdir -p -- "$root.partial"
    debian_root_make "$root.partial/root" "$release" "$main" "$updates" "$security" $packages \
      >"$root.partial/make.log" 2>&1 || {
      tail -40 "$root.partial/make.log" >&2
      exec {lock}>&-
      return 1
    }
    echo "$packages" >"$root.partial/packages"
    touch "$root.partial/complete"
    rm -rf -- "$root"
    mv -- "$root.partial" "$root"
  fi
  exec {lock}>&-
  echo "$root"
}

# debian_root_make DIR RELEASE MAIN UPDATES SECURITY PACKAGE...
debian_root_make() {
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus "$2" "$1" "$3"
  debian_root_install "$@"
}

# debian_root_install DIR RELEASE MAIN UPDATES SECURITY PACKAGE...: the
# packages, into a root debootstrap made.
debian_root_install() {
  local dir=$1 release=$2 main=$3 updates=$4 security=$5
  shift 5
  {
    echo "deb $main $release main"
    [ -z "$updates" ] || echo "deb $updates $release-updates main"
    [ -z "$security" ] || echo "deb $security $release-security main"
  } >"$dir/etc/apt/sources.list"
  # No service may start while apt installs (invoke-rc.d would run the
  # init scripts on this machine: no systemd runs in a non-booted nspawn).
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod 0755 "$dir/usr/sbin/policy-rc.d"
  systemd-nspawn --quiet --register=no --keep-unit -D "$dir" --setenv=DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -q && apt-get install -q -y --no-install-recommends "$@" && apt-get clean' \
    sh "$@"
  rm -f -- "$dir/usr/sbin/policy-rc.d"
  # Unattended timers would run apt (no network) and man-db at boot.
  rm -f -- "$dir"/etc/systemd/system/timers.target.wants/{apt-daily,apt-daily-upgrade,man-db,e2scrub_all,fstrim}.timer
  echo kosmo-test >"$dir/etc/hostname"
  # The booted container must not read the machine-id of another run.
  : >"$dir/etc/machine-id"
}
