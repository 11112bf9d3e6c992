#!/bin/sh
# Installs the sandbox image's Debian packages (packages.txt). Runs inside the image's root
# filesystem as root, with network access: in a chroot on the debootstrap path (build.ts) and as a
# RUN step on the Dockerfile path, so both paths resolve the same package set with apt.
#
# Usage: install-packages.sh <packages.txt> [<debian mirror>] [<security mirror, or "none">]
set -eu

package_list=${1:?usage: install-packages.sh <packages.txt> [<debian mirror>] [<security mirror>]}
mirror=${2:-http://deb.debian.org/debian}
security_mirror=${3:-http://deb.debian.org/debian-security}
suite=bookworm

export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true

# The image runs code; nobody reads man pages in it. Licences stay (copyright files).
mkdir -p /etc/dpkg/dpkg.cfg.d /etc/apt/apt.conf.d
cat >/etc/dpkg/dpkg.cfg.d/mlops-academy-slim <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/linda/*
EOF
# No fsync per unpacked file while building: a crash means a rebuild anyway. setup-rootfs.sh
# removes this file so the finished image behaves like any Debian system.
echo 'force-unsafe-io' >/etc/dpkg/dpkg.cfg.d/mlops-academy-build

# Packages must not start services: a sandbox has no init system, and a build host's own services
# must not be disturbed. (Debian's Docker images ship the same file.)
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 0755 /usr/sbin/policy-rc.d

cat >/etc/apt/apt.conf.d/90mlops-academy <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Retries "3";
Dpkg::Use-Pty "false";
EOF

# bookworm plus its stable updates and security fixes (the base system comes from the last point
# release, so `upgrade` below matters).
rm -f /etc/apt/sources.list.d/debian.sources
{
  echo "deb $mirror $suite main"
  echo "deb $mirror $suite-updates main"
  if [ "$security_mirror" != none ]; then
    echo "deb $security_mirror $suite-security main"
  fi
} >/etc/apt/sources.list

# Empty stand-ins for packages that are hard dependencies but unused at run time.
#   python3-pythran: python3-scipy depends on it, yet scipy's pythran modules ship already compiled;
#   the real package drags in gcc, g++, the Boost headers and OpenBLAS headers (about 700 MB).
stub_package() {
  stub_dir=$(mktemp -d)
  mkdir "$stub_dir/DEBIAN"
  cat >"$stub_dir/DEBIAN/control" <<EOF
Package: $1
Version: $2
Architecture: all
Maintainer: MLOps Academy <maintainers@mlops-academy.invalid>
Description: empty stand-in for $1 in the MLOps Academy sandbox image
 $3
EOF
  dpkg-deb --root-owner-group --build "$stub_dir" "$stub_dir.deb" >/dev/null
  dpkg --install "$stub_dir.deb"
  apt-mark hold "$1" >/dev/null
  rm -rf "$stub_dir" "$stub_dir.deb"
}
stub_package python3-pythran 0.11.0+ds-7+mlops-academy-stub \
  'Used only when building scipy; its compiled modules are in python3-scipy.'

# packages.txt: one package a line, `#` starts a comment.
packages=$(sed -e 's/#.*//' "$package_list" | tr -s ' \t\n' ' ')

apt-get update -qq
apt-get upgrade -y -qq
# shellcheck disable=SC2086 # one word per package on purpose
apt-get install -y -qq $packages
