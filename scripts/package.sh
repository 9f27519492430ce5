#!/usr/bin/env bash
# Builds Palisade's Debian packages into out/packages/:
#   palisade_<version>_amd64.deb      palisaded, palisade, sdtool, clprexec, the systemd unit, examples, docs and
#                                     Prometheus rules; .NET is inside (self-contained), so a plain Debian 12 runs it.
#   palisade-lab_<version>_amd64.deb  the one-machine lab (palisade lab, lab chaos, demo): only for test machines.
# Needs the .NET SDK and dpkg-deb; installs nothing. PALISADE_VERSION overrides the version.
set -euo pipefail
cd "$(dirname "$0")/.."

out=out/packages
work=out/package-build
arch=amd64
maintainer=${PALISADE_MAINTAINER:-Palisade maintainers <palisade@example.org>}
if [ -n "${PALISADE_VERSION:-}" ]; then
  version=$PALISADE_VERSION
else
  # Ordered by the last commit's date, so a newer build always upgrades an older one.
  version="0.1.0~git$(git log -1 --format=%cd --date=format:%Y%m%d%H%M%S).$(git rev-parse --short=8 HEAD)"
fi

rm -rf "$work" && mkdir -p "$work" "$out"

# A native package's changelog: one entry for this build.
changelog() {
  local root=$1 package=$2
  mkdir -p "$root/usr/share/doc/$package"
  printf '%s (%s) unstable; urgency=medium\n\n  * Built from commit %s.\n\n -- %s  %s\n' \
    "$package" "$version" "$(git rev-parse HEAD)" "$maintainer" "$(git log -1 --format=%cD)" \
    | gzip -9n > "$root/usr/share/doc/$package/changelog.gz"
}
rm -f "$out"/palisade_*.deb "$out"/palisade-lab_*.deb

echo "== publishing palisaded (native executable) and palisade (self-contained), linux-x64"
app="$work/app"
# palisaded's project publishes it with Native AOT (needs clang and zlib1g-dev); the CLI ReadyToRun with .NET inside.
for project in src/Palisade.Daemon src/Palisade.Cli; do
  flags=(--self-contained true -p:PublishReadyToRun=true)
  [ "$project" = src/Palisade.Daemon ] && flags=()
  if ! dotnet publish "$project" -c Release -r linux-x64 "${flags[@]}" \
      -o "$app" --nologo -v quiet >"$work/publish.log" 2>&1; then
    grep -E 'error|warning' "$work/publish.log" | sort -u | head -20 >&2
    echo "package.sh: publishing $project failed (full output: $work/publish.log)" >&2
    exit 1
  fi
done

# ---- palisade -------------------------------------------------------------------------------------------------
root="$work/palisade"
lib="$root/usr/lib/palisade"
mkdir -p "$lib" "$root/usr/sbin" "$root/usr/bin" "$root/lib/systemd/system" "$root/usr/share/doc/palisade" \
  "$root/usr/share/palisade" "$root/DEBIAN"
cp -a "$app/." "$lib/"
# The lab's assemblies go to palisade-lab; palisade's dependency manifest must not list them (the host refuses to
# start an application whose listed assemblies are missing). palisade loads them from lab/ when a lab command runs.
lab_assemblies=(Palisade.Lab Palisade.Scenarios)
for a in "${lab_assemblies[@]}"; do rm -f "$lib/$a.dll" "$lib/$a.pdb"; done
python3 - "$lib/palisade.deps.json" "${lab_assemblies[@]}" <<'PY'
import json, sys
path, names = sys.argv[1], set(sys.argv[2:])
deps = json.load(open(path))
def lab(key): return key.split("/")[0] in names
for target in deps["targets"].values():
    for key in [k for k in target if lab(k)]:
        del target[key]
    for entry in target.values():
        for name in names:
            entry.get("dependencies", {}).pop(name, None)
for key in [k for k in deps["libraries"] if lab(k)]:
    del deps["libraries"][key]
json.dump(deps, open(path, "w"), indent=2)
PY
find "$lib" \( -name '*.pdb' -o -name '*.dbg' \) -delete
strip --strip-unneeded "$lib/libe_sqlite3.so"
# Relative links: the same tree works installed and unpacked anywhere (the lab runs it unpacked).
ln -s ../lib/palisade/palisaded "$root/usr/sbin/palisaded"
ln -s ../lib/palisade/palisade "$root/usr/bin/palisade"
for tool in sdtool:sd clprexec:clprexec; do
  cat > "$root/usr/sbin/${tool%%:*}" <<EOF
#!/bin/sh
# ${tool%%:*}: the same as 'palisade ${tool#*:}'.
exec "\$(dirname "\$(readlink -f "\$0")")/../lib/palisade/palisade" ${tool#*:} "\$@"
EOF
  chmod 755 "$root/usr/sbin/${tool%%:*}"
done
install -m 0644 deploy/systemd/palisaded.service "$root/lib/systemd/system/palisaded.service"
# The PAM service of the web view's logins (api: logins:); a conffile, so an operator's changes are kept.
install -D -m 0644 deploy/pam/palisade "$root/etc/pam.d/palisade"
echo /etc/pam.d/palisade > "$root/DEBIAN/conffiles"
# Bash completion (palisade answers it itself); loaded on demand by command name, so sdtool and clprexec link to it.
completions="$root/usr/share/bash-completion/completions"
install -D -m 0644 deploy/bash-completion/palisade "$completions/palisade"
ln -s palisade "$completions/sdtool"
ln -s palisade "$completions/clprexec"
cp -r examples "$root/usr/share/palisade/examples"
cp -r deploy/prometheus "$root/usr/share/palisade/prometheus"
install -m 0644 README.md "$root/usr/share/doc/palisade/README.md"
for doc in docs/*.md docs/openapi.json; do install -m 0644 "$doc" "$root/usr/share/doc/palisade/"; done
cat > "$root/usr/share/doc/palisade/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: palisade
Files: *
Copyright: $(git log -1 --format=%cd --date=format:%Y) The Palisade authors
License: see the Palisade source repository
EOF
# .NET's own compression library links zlib statically; it is part of the runtime the package carries.
mkdir -p "$root/usr/share/lintian/overrides"
cat > "$root/usr/share/lintian/overrides/palisade" <<'EOF'
# The self-contained .NET runtime's compression library embeds zlib.
palisade: embedded-library zlib [usr/lib/palisade/libSystem.IO.Compression.Native.so]
EOF
changelog "$root" palisade
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: palisade
Version: $version
Architecture: $arch
Maintainer: $maintainer
Section: admin
Priority: optional
Installed-Size: $installed_size
Depends: corosync, libcpg4, libquorum5, libvotequorum8, libcmap4, libcfg7, libc6, libgcc-s1, libstdc++6, libssl3, zlib1g, libpam0g, libpam-modules
Recommends: resource-agents, fence-agents, ipmitool, iproute2
Description: high-availability cluster manager on corosync
 palisaded keeps groups of resources (floating IPs, services, OCF resource
 agents) running on a set of nodes, fences failed nodes through their BMCs
 before starting their groups elsewhere, and never lets a partition without
 quorum run anything. palisade is its command line; sdtool and clprexec are
 compatibility commands. .NET is included. The unit palisaded.service is
 installed but neither enabled nor started: see
 /usr/share/doc/palisade/install.md.
EOF
cat > "$root/DEBIAN/postinst" <<'EOF'
#!/bin/sh
# Creates palisade's directories. Does not enable or start palisaded: a node starts it once its cluster file and
# corosync are in place (palisade cluster setup; systemctl enable --now palisaded).
set -e
if [ "$1" = configure ]; then
    install -d -m 0755 /etc/palisade
    install -d -m 0700 /var/lib/palisade
    if [ -d /run/systemd/system ]; then
        systemctl --system daemon-reload >/dev/null || true
    fi
fi
exit 0
EOF
cat > "$root/DEBIAN/prerm" <<'EOF'
#!/bin/sh
# Removing the package stops palisaded (its groups move to other nodes); an upgrade leaves it running: restart it
# when the node's turn in the rolling upgrade comes (systemctl restart palisaded).
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ] && command -v deb-systemd-invoke >/dev/null; then
    deb-systemd-invoke stop palisaded.service >/dev/null 2>&1 || true
fi
exit 0
EOF
cat > "$root/DEBIAN/postrm" <<'EOF'
#!/bin/sh
# Purging removes the node's state (fence history, intents, journal); /etc/palisade keeps the operator's files.
set -e
if [ "$1" = purge ]; then
    rm -rf /var/lib/palisade
fi
if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null 2>&1 || true
fi
exit 0
EOF
chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"

# ---- palisade-lab ---------------------------------------------------------------------------------------------
labroot="$work/palisade-lab"
mkdir -p "$labroot/usr/lib/palisade/lab" "$labroot/usr/share/doc/palisade-lab" "$labroot/DEBIAN"
for a in "${lab_assemblies[@]}"; do install -m 0644 "$app/$a.dll" "$labroot/usr/lib/palisade/lab/$a.dll"; done
install -m 0644 docs/lab.md "$labroot/usr/share/doc/palisade-lab/lab.md"
install -m 0644 src/Palisade.Lab/README.md "$labroot/usr/share/doc/palisade-lab/README.md"
cp "$root/usr/share/doc/palisade/copyright" "$labroot/usr/share/doc/palisade-lab/copyright"
changelog "$labroot" palisade-lab
cat > "$labroot/DEBIAN/control" <<EOF
Package: palisade-lab
Version: $version
Architecture: $arch
Maintainer: $maintainer
Section: admin
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$labroot" | cut -f1)
Depends: palisade (= $version), corosync, openipmi, ipmitool, iproute2, procps, psmisc, curl, openssl, python3
Recommends: resource-agents, fence-agents
Description: Palisade's one-machine lab (not for production nodes)
 palisade lab builds a cluster of real corosync nodes in network namespaces
 with simulated IPMI and Redfish BMCs; palisade lab chaos runs random fault
 schedules against it and palisade demo narrates a failover. Install it on a
 test machine, never on a cluster node.
EOF

# The runtime pack's files come with mode 0744: there every file 0644 and the programs 0755; directories 0755.
find "$lib" -type f -exec chmod 0644 {} +
chmod 0755 "$lib/palisade" "$lib/palisaded" "$lib/createdump"
for dir in "$root" "$labroot"; do
  find "$dir" -type d -exec chmod 0755 {} +
done
dpkg-deb --build --root-owner-group -Zxz "$root" "$out/palisade_${version}_${arch}.deb" >/dev/null
dpkg-deb --build --root-owner-group -Zxz "$labroot" "$out/palisade-lab_${version}_${arch}.deb" >/dev/null
rm -rf "$work"
for deb in "$out"/palisade_"$version"_$arch.deb "$out"/palisade-lab_"$version"_$arch.deb; do
  echo "== built $deb ($(du -h "$deb" | cut -f1), installed $(dpkg-deb -f "$deb" Installed-Size) KiB)"
done
