#!/bin/sh
# Turns a Debian root filesystem with the packages installed (install-packages.sh) into the sandbox
# image. Runs inside it as root: in a chroot on the debootstrap path (build.ts), as a RUN step on
# the Dockerfile path; everything that makes the two images alike happens here.
#
# Usage: setup-rootfs.sh <inputs-hash>
set -eu

inputs_hash=${1:?usage: setup-rootfs.sh <inputs-hash>}

# --- Users -------------------------------------------------------------------------------------
# Fixed ids: the runner starts containers and execs by number (User: '1000:1000').
# learner  1000  the person doing the lab; owns the workspace
# grader   1001  runs the checks, so a learner's process cannot tamper with a running check
# bridge   1002  runs the socket bridge of the service proxy; never logs in
# labkit   1003  runs the lab's labkit services (tracking server…), so the learner can neither
#                stop them nor touch their data; never logs in
add_user() { # name uid home shell
  groupadd --gid "$2" "$1"
  useradd --uid "$2" --gid "$2" --home-dir "$3" --no-create-home --shell "$4" --comment "$1" "$1"
}
add_user learner 1000 /home/learner /bin/bash
add_user grader 1001 /var/lib/grader /usr/sbin/nologin
add_user bridge 1002 /nonexistent /usr/sbin/nologin
add_user labkit 1003 /var/lib/labkit /usr/sbin/nologin

# No skeleton dotfiles: the shell set-up lives in /etc (below) so an old workspace never carries a
# stale copy. The grader reads the workspace, hence 0755.
install -d -o 1000 -g 1000 -m 0755 /home/learner /home/learner/work
install -d -o 1001 -g 1001 -m 0750 /var/lib/grader
# The labkit services' data and logs: the runner mounts the sandbox's labkit folder (on its
# size-capped volume) here; the image's own folder only shows where it goes.
install -d -o 1003 -g 1003 -m 0700 /var/lib/labkit

# --- Directories the runner and labkit rely on --------------------------------------------------
install -d -m 0755 /run/academy # the runner mounts the sandbox's service-proxy socket directory here
install -d -m 0755 /opt/labkit /opt/labkit/bin
echo 'labkit (the in-sandbox MLOps stack, labkit) is installed into /opt/labkit/bin.' \
  >/opt/labkit/README

# --- Shell ---------------------------------------------------------------------------------------
# Login shells (the lab terminal, tmux windows): /etc/profile resets PATH, so set it again here.
cat >/etc/profile.d/academy.sh <<'EOF'
# MLOps Academy sandbox
export PATH=/opt/labkit/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8
export MPLBACKEND=Agg
# Interactive login shells start in the workspace, unless started somewhere on purpose.
case $- in
  *i*) if [ -d "$HOME/work" ] && { [ "$PWD" = "$HOME" ] || [ "$PWD" = / ]; }; then cd "$HOME/work"; fi ;;
esac
EOF

# Every interactive bash (login or not) reads /etc/bash.bashrc.
cat >>/etc/bash.bashrc <<'EOF'

# --- MLOps Academy ---
# learner@lab:~/work$  (container host names are random, so "lab" is spelled out)
PS1='\[\e[1;32m\]\u@lab\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ '
HISTSIZE=5000
HISTCONTROL=ignoredups
alias ls='ls --color=auto'
alias ll='ls -alF'
alias grep='grep --color=auto'
EOF

# tmux keeps the terminal alive across page reloads; make it look like a plain terminal.
cat >/etc/tmux.conf <<'EOF'
# MLOps Academy sandbox
set -g history-limit 10000
set -g status off
set -g default-terminal "screen-256color"
set -sg escape-time 0
set -g mouse off
setw -g aggressive-resize on
EOF

echo lab >/etc/hostname

# --- Hardening -----------------------------------------------------------------------------------
# No setuid/setgid programs at all (passwd, su, mount, ...): nothing in the sandbox can gain rights.
find / -xdev -perm /6000 -type f -exec chmod ug-s {} +

# --- Size ----------------------------------------------------------------------------------------
rm -f /etc/dpkg/dpkg.cfg.d/mlops-academy-build
find /usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
find /usr/share/doc -mindepth 1 -type d -empty -delete
rm -rf /usr/share/man/* /usr/share/info/* /usr/share/lintian /usr/share/linda
find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
# Bundled test suites of Python packages (about 160 MB) are never imported when running code.
find /usr/lib/python3/dist-packages -type d -name tests -prune -exec rm -rf {} +
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb \
  /var/cache/apt/archives/partial/* /var/cache/debconf/*-old /var/lib/dpkg/*-old
find /var/log -type f -exec truncate -s 0 {} +

# --- Traceability --------------------------------------------------------------------------------
cat >/etc/mlops-academy-image <<EOF
image=mlops-academy/lab
inputs-hash=$inputs_hash
debian=$(cat /etc/debian_version)
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF
