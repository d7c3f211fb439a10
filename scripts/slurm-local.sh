#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying Loupe's Slurm executor and for its tests:
# munged, slurmctld and slurmd from Debian's packages, run as root without systemd.
#
#   scripts/slurm-local.sh start    install what is missing, start what is not running, wait for the node
#   scripts/slurm-local.sh status   the daemons this script started and what sinfo says
#   scripts/slurm-local.sh stop     stop the daemons this script started
#
# Config, state, logs and pid files live in $SLURM_LOCAL_DIR (default /var/tmp/loupe-slurm).
# Slurm's commands read /etc/slurm/slurm.conf, so start links it to the config here (unless
# another file is there already) and stop removes the link.
set -euo pipefail

dir="${SLURM_LOCAL_DIR:-/var/tmp/loupe-slurm}"
conf="$dir/slurm.conf"
system_conf=/etc/slurm/slurm.conf
partition=loupe
node="$(hostname -s)"
wait_seconds="${SLURM_LOCAL_WAIT:-60}"
name="$(basename "$0")"

fail() {
    echo "$name: $*" >&2
    exit 1
}

pid_alive() { # pid file
    [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

install_packages() {
    local missing=()
    command -v munged >/dev/null || missing+=(munge)
    command -v slurmctld >/dev/null || missing+=(slurmctld)
    command -v slurmd >/dev/null || missing+=(slurmd)
    command -v sbatch >/dev/null || missing+=(slurm-client)
    [ ${#missing[@]} -eq 0 ] && return
    [ "$(id -u)" -eq 0 ] || fail "needs root to install ${missing[*]}"
    echo "$name: installing ${missing[*]}"
    # A machine whose package lists were never fetched knows no candidate: fetch them then.
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

start_munge() {
    install -d -o munge -g munge -m 0700 /etc/munge
    if [ ! -s /etc/munge/munge.key ]; then
        if command -v mungekey >/dev/null; then
            mungekey --create --keyfile=/etc/munge/munge.key
        else
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
        fi
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    install -d -o munge -g munge -m 0755 /run/munge
    # A munged that answers (ours or one that was here before) is used as it is; only one this
    # script started is stopped by `stop`.
    if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then return; fi
    install -d -o munge -g munge -m 0700 "$dir/munge"
    runuser -u munge -- munged --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
        --seed-file="$dir/munge/munged.seed"
    cp "$dir/munge/munged.pid" "$dir/run/munged.pid"
    for _ in $(seq 1 50); do
        munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && return
        sleep 0.1
    done
    fail "munged did not answer; $dir/munge/munged.log ends with:
$(tail -n 20 "$dir/munge/munged.log" 2>/dev/null)"
}

# The node line from slurmd's own view of the hardware, so slurmd never finds fewer CPUs or
# less memory than configured and drains itself.
node_line() {
    local detected
    detected="$(slurmd -C 2>/dev/null | head -n 1)"
    if [[ "$detected" != NodeName=* ]]; then
        detected="NodeName=$node CPUs=$(nproc) RealMemory=$(($(free -m | awk '/^Mem:/ {print $2}') - 256))"
    fi
    echo "$detected NodeAddr=127.0.0.1 State=UNKNOWN"
}

write_config() {
    cat > "$conf.tmp" <<CONF
# Written by scripts/slurm-local.sh: a one-node cluster for Loupe.
ClusterName=loupe
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
$(node_line)
PartitionName=$partition Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    mv "$conf.tmp" "$conf"
}

link_config() {
    mkdir -p /etc/slurm
    if [ -L "$system_conf" ] && [ "$(readlink "$system_conf")" = "$conf" ]; then return; fi
    if [ -e "$system_conf" ] || [ -L "$system_conf" ]; then
        echo "$name: $system_conf is not ours; Slurm's commands need SLURM_CONF=$conf" >&2
        return
    fi
    ln -s "$conf" "$system_conf"
}

log_tails() {
    for log in "$dir/log/slurmctld.log" "$dir/log/slurmd.log" "$dir/munge/munged.log"; do
        [ -s "$log" ] || continue
        echo "--- $log (last 15 lines)"
        tail -n 15 "$log"
    done
}

node_state() {
    SLURM_CONF="$conf" timeout 10 sinfo --noheader --nodes="$node" --format=%t 2>/dev/null | head -n 1
}

wait_for_idle() {
    local state=""
    for _ in $(seq 1 $((wait_seconds * 2))); do
        state="$(node_state || true)"
        case "$state" in
            idle|mix|alloc) return ;;
            # A node drained by an earlier run (a crash, a config it no longer matched) is
            # taken back: this cluster has no one else to decide that.
            drain*|drng*) SLURM_CONF="$conf" scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true ;;
        esac
        sleep 0.5
    done
    fail "node $node is not idle after ${wait_seconds}s (sinfo says '${state:-nothing}'); \`$0 stop\` ends what was started
$(log_tails)"
}

start() {
    [ "$(id -u)" -eq 0 ] || fail "start runs the daemons as root: run it as root"
    install_packages
    mkdir -p "$dir/state" "$dir/spool" "$dir/run" "$dir/log"
    start_munge
    # A running slurmctld keeps the config it read: rewrite it only while nothing uses it.
    if ! pid_alive "$dir/run/slurmctld.pid" && ! pid_alive "$dir/run/slurmd.pid"; then
        write_config
    fi
    link_config
    if ! pid_alive "$dir/run/slurmctld.pid"; then
        slurmctld -f "$conf" || fail "slurmctld did not start
$(log_tails)"
    fi
    if ! pid_alive "$dir/run/slurmd.pid"; then
        slurmd -f "$conf" || fail "slurmd did not start
$(log_tails)"
    fi
    wait_for_idle
    echo "$name: node $node idle in partition $partition (config $conf)"
}

stop_daemon() { # name
    local pidfile="$dir/run/$1.pid"
    pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
    local pid
    pid="$(cat "$pidfile")"
    kill "$pid"
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

stop() {
    stop_daemon slurmd
    stop_daemon slurmctld
    stop_daemon munged
    if [ -L "$system_conf" ] && [ "$(readlink "$system_conf")" = "$conf" ]; then rm -f "$system_conf"; fi
    echo "$name: stopped"
}

status() {
    local running=0
    for daemon in munged slurmctld slurmd; do
        if pid_alive "$dir/run/$daemon.pid"; then
            echo "$daemon: running (pid $(cat "$dir/run/$daemon.pid"))"
            running=1
        else
            echo "$daemon: not started by $name"
        fi
    done
    [ "$running" -eq 1 ] || return 3
    echo "node $node: $(node_state || echo 'no answer from slurmctld')"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $name start|stop|status" >&2; exit 2 ;;
esac
