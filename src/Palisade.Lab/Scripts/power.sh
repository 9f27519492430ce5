# Chassis control of one node's simulated BMCs. ipmi_sim and the Redfish BMC run it synchronously as
#   power NODE get power | set power 0 | set power 1 | set reset 1
# and the lab as "power NODE panic" (see panic below).
# Power off is complete when this returns: every process of the node is gone.
set -u
name=${1:?usage: power NODE get power|set power 0|1|set reset 1|panic}
node="$state/nodes/$name"
ns="pal-$name"
[ -d "$node" ] || { echo "power: unknown node $name" >&2; exit 1; }

# A panicked node is powered: only its operating system is gone (see panic below).
is_on() {
    local pid
    [ -e "$node/panicked" ] && return 0
    pid=$(cat "$node/init.pid" 2>/dev/null) || return 1
    [ -n "$pid" ] && [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ]
}

record() { echo "$(date +%s%3N) $name $1" >>"$state/ledger"; }

# A process leaves the namespace listing before its exit is over (its files, sockets included,
# close later); it has released everything once it is a zombie or gone.
exited() {
    local stat rest
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    rest=${stat##*) }
    [ "${rest%% *}" = Z ] && [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -le 1 ]
}

# SIGKILLs every process in the node's network namespace and waits until all have finished exiting.
kill_all() {
    local pids pid killed=() deadline=$((SECONDS + 10))
    while :; do
        pids=$(ip netns pids "$ns" 2>/dev/null)
        [ -z "$pids" ] && break
        # shellcheck disable=SC2086 # one pid per word
        kill -KILL $pids 2>/dev/null
        # shellcheck disable=SC2206
        killed+=($pids)
        if ((SECONDS >= deadline)); then
            echo "power: processes of $name survive SIGKILL:" $pids >&2
            return 1
        fi
        sleep 0.01
    done
    for pid in "${killed[@]}"; do
        until exited "$pid"; do
            if ((SECONDS >= deadline)); then
                echo "power: process $pid of $name does not finish exiting" >&2
                return 1
            fi
            sleep 0.01
        done
    done
}

power_off() {
    kill_all || return 1
    rm -f "$node/init.pid" "$node/panicked"
    nics_off
    record power-off
}

# The node crashed and its crash-dump kernel runs: every process is gone, the power stays on, and
# the NICs stay up with the node's own addresses only (a dump kernel configures the primary address;
# a floating IP the node carried must not keep answering for it). The lab then starts the kdump
# announcer inside the namespace; a later power off kills it like any process of the node.
panic() {
    local dev primary
    [ -e "$node/panicked" ] && { echo "power: $name has already panicked" >&2; return 1; }
    is_on || { echo "power: $name is off: a node that is off cannot panic" >&2; return 1; }
    kill_all || return 1
    rm -f "$node/init.pid"
    : >"$node/panicked"
    for dev in ic0 adm0; do
        primary=$(ip -n "$ns" -o -4 addr show dev "$dev" scope global 2>/dev/null | awk '{print $4; exit}')
        [ -n "$primary" ] || primary=$(cat "$node/$dev.addr" 2>/dev/null)
        ip -n "$ns" addr flush dev "$dev" scope global 2>/dev/null
        [ -n "$primary" ] && ip -n "$ns" addr replace "$primary" dev "$dev"
        ip -n "$ns" link set "$dev" up
    done
    record panic
}

# A machine that is off is silent on the network: its NICs go down and lose every address (a floating
# IP it carried included). The primary addresses are kept to configure the NICs again at power on.
nics_off() {
    local dev primary
    for dev in ic0 adm0; do
        primary=$(ip -n "$ns" -o -4 addr show dev "$dev" scope global 2>/dev/null | awk '{print $4; exit}')
        [ -n "$primary" ] && echo "$primary" >"$node/$dev.addr"
        ip -n "$ns" addr flush dev "$dev" scope global 2>/dev/null
        ip -n "$ns" link set "$dev" down 2>/dev/null
    done
}

nics_on() {
    local dev primary
    for dev in ic0 adm0; do
        primary=$(cat "$node/$dev.addr" 2>/dev/null)
        [ -n "$primary" ] && ip -n "$ns" addr replace "$primary" dev "$dev"
        ip -n "$ns" link set "$dev" up
    done
}

power_on() {
    is_on && return 0
    nics_on || return 1
    "$state/bin/node-start" "$name" 9>&- || return 1
    record power-on
}

# One power action per node at a time (ipmi_sim and the lab may both call).
exec 9>>"$node/power.lock"
flock -w 20 9 || { echo "power: $name is busy" >&2; exit 1; }

case "${2:-} ${3:-} ${4:-}" in
"get power ")
    if is_on; then echo "power:1"; else echo "power:0"; fi
    ;;
"set power 0") power_off ;;
"set power 1") power_on ;;
"set reset 1") power_off && power_on ;;
"panic  ") panic ;;
*)
    echo "power: unsupported request: ${*:2}" >&2
    exit 1
    ;;
esac
