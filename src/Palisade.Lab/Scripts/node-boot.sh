# Init process of one lab node; runs in the node's network namespace and in fresh mount and UTS
# namespaces. It gives the node a private /run and /dev/shm (a rebooted node must not find the
# state files of its previous life), binds the node's own directories over the host paths
# corosync and palisaded use, starts them and waits.
set -u
name=${1:?usage: node-boot NODE}
node="$state/nodes/$name"

log() { printf '%s node-boot %s: %s\n' "$(date '+%F %T.%3N')" "$name" "$*"; }
# A node whose boot fails powers itself off: kill its whole process group (this script is its leader).
halt() {
    log "$*; powering the node off"
    kill -KILL 0
}
alive() {
    local st
    st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) && [ "$st" != Z ]
}

log "booting (pid $$)"
cd / || halt "cannot change to /"
hostname "$name" || halt "cannot set the hostname"
mount -t tmpfs -o mode=0755 tmpfs /run || halt "cannot mount a tmpfs on /run"
mkdir -p /run/corosync /run/palisade
mount -t tmpfs -o mode=1777 tmpfs /dev/shm || halt "cannot mount a tmpfs on /dev/shm"
for pair in etc-corosync:/etc/corosync lib-corosync:/var/lib/corosync log-corosync:/var/log/corosync \
    etc-palisade:/etc/palisade lib-palisade:/var/lib/palisade log-palisade:/var/log/palisade; do
    src="$node/${pair%%:*}"
    dst="${pair#*:}"
    mkdir -p "$dst" && mount --bind "$src" "$dst" || halt "cannot bind $src on $dst"
done

# The lab's web view users (LabLogins), in this node only: its copies of the account files over the host's.
for f in passwd shadow group; do
    if [ -f "$node/etc-auth/$f" ]; then
        mount --bind "$node/etc-auth/$f" "/etc/$f" || halt "cannot bind the lab's /etc/$f"
    fi
done

corosync -f &
corosync_pid=$!
deadline=$((SECONDS + 30))
until corosync-cfgtool -s >/dev/null 2>&1; do
    alive "$corosync_pid" || halt "corosync exited (see $node/log-corosync and this log)"
    ((SECONDS < deadline)) || halt "corosync did not answer within 30 s"
    sleep 0.05
done
log "corosync answers (pid $corosync_pid)"

if [ -x "$daemon" ]; then
    "$daemon" --config /etc/palisade/palisade.yaml >>/var/log/palisade/palisaded.log 2>&1 &
    log "started $daemon (pid $!)"
else
    log "no daemon at $daemon: this node runs corosync only"
fi
wait
log "every process of the node has exited"
