#!/usr/bin/env bash
# Installs the Debian packages Palisade needs (only those missing), builds it, and installs
# `palisade` (CLI) and `palisaded` (daemon) on PATH. Run as root on Debian 12 with the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=${PALISADE_PREFIX:-/opt/palisade}
PACKAGES=(corosync libcpg4 libquorum5 libvotequorum8 libcmap4 libcfg7 openipmi ipmitool fence-agents
          fence-virt fence-virtd resource-agents iproute2 procps psmisc util-linux python3 curl openssl chromium
          openssh-client lintian clang zlib1g-dev)

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (it installs packages and writes $PREFIX)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  # Packages must not start their services on this host (corosync would start a one-node cluster):
  # the lab runs its own corosync inside namespaces.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
  fi
  trap '[ $created_policy = 1 ] && rm -f "$policy"' EXIT
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# promtool checks the shipped Prometheus alert rules (deploy/prometheus): taken out of Debian's prometheus package,
# which is not installed (no Prometheus server is set up on this host).
PROMTOOL="$PREFIX/tools/promtool"
if [ ! -x "$PROMTOOL" ]; then
  echo "== fetching promtool (extracted from Debian's prometheus package, which is not installed)"
  tmp=$(mktemp -d)
  (cd "$tmp" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus >/dev/null; }; })
  dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x"
  install -D -m 0755 "$tmp/x/usr/bin/promtool" "$PROMTOOL"
  rm -rf "$tmp"
fi

# Pacemaker's sample alert agents (alert_file.sh.sample, ...), for the alert tests and for operators who use them:
# taken out of Debian's pacemaker-common package, which is not installed.
PCMK_ALERTS="$PREFIX/share/pacemaker-alerts"
if [ ! -x "$PCMK_ALERTS/alert_file.sh.sample" ]; then
  echo "== fetching Pacemaker's sample alert agents (extracted from Debian's pacemaker-common package, which is not installed)"
  tmp=$(mktemp -d)
  (cd "$tmp" && { apt-get download pacemaker-common >/dev/null 2>&1 || { apt-get update -qq && apt-get download pacemaker-common >/dev/null; }; })
  dpkg-deb -x "$tmp"/pacemaker-common_*.deb "$tmp/x"
  mkdir -p "$PCMK_ALERTS"
  install -m 0755 "$tmp"/x/usr/share/pacemaker/alerts/*.sample "$PCMK_ALERTS/"
  rm -rf "$tmp"
fi

echo "== building and installing Palisade into $PREFIX"
rm -rf "$PREFIX/lib.new"
# palisaded: one native executable (Native AOT; clang and zlib1g-dev link it), beside libe_sqlite3.so.
dotnet publish src/Palisade.Daemon -c Release -r linux-x64 -o "$PREFIX/lib.new" --nologo -v quiet >/dev/null
dotnet publish src/Palisade.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$PREFIX/lib.new" --nologo -v quiet >/dev/null
rm -rf "$PREFIX/lib" && mv "$PREFIX/lib.new" "$PREFIX/lib"
mkdir -p "$PREFIX/share"
rm -rf "$PREFIX/share/examples" && cp -r examples "$PREFIX/share/examples"
rm -rf "$PREFIX/share/prometheus" && cp -r deploy/prometheus "$PREFIX/share/prometheus"
ln -sf "$PREFIX/lib/palisade" /usr/local/bin/palisade
ln -sf "$PREFIX/lib/palisaded" /usr/local/sbin/palisaded
# sdtool: the shutdown daemon's tool, the same as `palisade sd`.
printf '#!/bin/sh\nexec /usr/local/bin/palisade sd "$@"\n' > /usr/local/sbin/sdtool
chmod 755 /usr/local/sbin/sdtool
printf '#!/bin/sh\nexec /usr/local/bin/palisade clprexec "$@"\n' > /usr/local/sbin/clprexec
chmod 755 /usr/local/sbin/clprexec
# Bash completion for palisade, sdtool and clprexec (read by every new interactive bash).
install -D -m 0644 deploy/bash-completion/palisade /etc/bash_completion.d/palisade
mkdir -p /etc/palisade /var/lib/palisade /var/log/palisade
echo "== installed: $(command -v palisade), /usr/local/sbin/palisaded, /usr/local/sbin/sdtool, /usr/local/sbin/clprexec"
