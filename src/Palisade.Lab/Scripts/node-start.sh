# Boots one lab node, detached from the caller (new session, no inherited terminal or pipes),
# and returns as soon as the node's init process runs inside the node's network namespace:
# ipmi_sim waits for this call, and a "get power" right after "set power 1" must already say on.
set -u
name=${1:?usage: node-start NODE}
node="$state/nodes/$name"
ns="pal-$name"
[ -d "$node" ] || { echo "node-start: unknown node $name" >&2; exit 1; }

# The caller's open descriptors (ipmi_sim's sockets, a test runner's pipes) must not live on in the node.
for fd in $(ls "/proc/$$/fd"); do
    if ((fd > 2 && fd != 255)); then
        { exec {fd}>&-; } 2>/dev/null
    fi
done

# In a non-interactive shell a background job shares the shell's process group, so setsid
# does not fork again: $! is the pid that becomes the node's init (env, ip and unshare all exec).
setsid env -i "${node_env[@]}" ip netns exec "$ns" unshare --mount --uts --propagation private \
    "$state/bin/node-boot" "$name" </dev/null >>"$node/boot.log" 2>&1 &
pid=$!
echo "$pid" >"$node/init.pid"

deadline=$((SECONDS + 5))
until [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ]; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
        echo "node-start: the boot process of $name did not enter $ns (see $node/boot.log)" >&2
        exit 1
    fi
    sleep 0.01
done
