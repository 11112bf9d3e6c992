#!/bin/sh
# Installs labkit into /opt/labkit and puts its Python client on Python's path. Runs as root inside
# the image tree (a chroot on the debootstrap path, a RUN step on the Dockerfile path), after
# setup-rootfs.sh. The staged folder holds bin/labkit, lib/labkit.mjs and python/labkit/ as
# labkit/bundle.ts lays them out.
#
# Usage: install-labkit.sh <staged labkit folder>
set -eu

staged=${1:?usage: install-labkit.sh <staged labkit folder>}

rm -rf /opt/labkit/bin /opt/labkit/lib /opt/labkit/python
install -d -m 0755 /opt/labkit
cp -R "$staged"/. /opt/labkit/
chown -R 0:0 /opt/labkit
find /opt/labkit -type d -exec chmod 0755 {} +
find /opt/labkit -type f -exec chmod go-w,a+r {} +
chmod 0755 /opt/labkit/bin/labkit

# Python finds the client from any folder, for the learner and the grader alike.
if [ -d /opt/labkit/python ]; then
  echo /opt/labkit/python >/usr/lib/python3/dist-packages/labkit.pth
  # Byte-compiled now: the root filesystem is read-only in sandboxes.
  python3 -m compileall -q /opt/labkit/python
fi

# Smoke test: the bundle loads on this Node and the client imports.
/opt/labkit/bin/labkit --help >/dev/null
if [ -d /opt/labkit/python/labkit ]; then
  (cd / && python3 -c 'import labkit')
fi
