# shellcheck shell=bash
# A throwaway PostgreSQL server for the tests. Source this file, then:
#   pg_sandbox_start   initdb in a fresh temp dir, start on a free 127.0.0.1 port, export
#                      PGSANDBOX_DIR, PGSANDBOX_PORT and SALESBOT_TEST_PG_URL (role salesbot, a superuser)
#   pg_sandbox_stop    stop the server and delete the temp dir; idempotent, safe after a failed start
# The system cluster is never touched. As root, the server runs as the 'postgres' user (PostgreSQL
# refuses to run as root). The functions work both with and without `set -e` in the caller.

# Which sandbox this shell started. Deliberately not exported: a child shell that inherited
# PGSANDBOX_DIR must never stop or delete a server it did not start.
_pg_sandbox_dir=""
_pg_sandbox_bin=""
_pg_sandbox_port=""

_pg_sandbox_fail() {
    echo "salesbot: PostgreSQL could not start: $*" >&2
}

# Runs a command as the server's owner, from inside the sandbox dir (the postgres user may not be
# able to enter the caller's working directory).
_pg_sandbox_as_owner() {
    if ((EUID == 0)); then
        (cd "$_pg_sandbox_dir" && runuser -u postgres -- "$@")
    else
        (cd "$_pg_sandbox_dir" && "$@")
    fi
}

_pg_sandbox_find_bin() {
    if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
        echo /usr/lib/postgresql/15/bin
        return 0
    fi
    local candidates=() dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/pg_ctl" && -x "$dir/initdb" ]]; then
            candidates+=("$dir")
        fi
    done
    ((${#candidates[@]} > 0)) || return 1
    printf '%s\n' "${candidates[@]}" | sort -V | tail -n 1
}

# Succeeds when something on 127.0.0.1 accepts connections on port $1.
_pg_sandbox_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sets _pg_sandbox_port to a currently free port in 20000-59999. Not run in a command substitution,
# so that $RANDOM advances in this shell.
_pg_sandbox_pick_port() {
    local i port
    for ((i = 0; i < 50; i++)); do
        port=$(((((RANDOM << 15) | RANDOM) % 40000) + 20000))
        if ! _pg_sandbox_port_busy "$port"; then
            _pg_sandbox_port=$port
            return 0
        fi
    done
    return 1
}

# Last-resort stop: SIGKILL the postmaster named in postmaster.pid, if it really is ours.
_pg_sandbox_kill_postmaster() {
    local pidfile="$_pg_sandbox_dir/data/postmaster.pid" pid i
    [[ -f "$pidfile" ]] || return 0
    pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$_pg_sandbox_dir/data"; then
        kill -KILL "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    return 0
}

pg_sandbox_start() {
    if [[ -n "$_pg_sandbox_dir" ]]; then
        echo "salesbot: a throwaway PostgreSQL is already running (data in $_pg_sandbox_dir)" >&2
        return 1
    fi

    local bin
    if ! bin="$(_pg_sandbox_find_bin)" || [[ -z "$bin" ]]; then
        _pg_sandbox_fail "no server binaries under /usr/lib/postgresql/*/bin (run scripts/install-deps.sh)"
        return 1
    fi
    if ((EUID == 0)); then
        if ! getent passwd postgres >/dev/null 2>&1; then
            _pg_sandbox_fail "running as root, the server must run as the 'postgres' user, and there is none"
            return 1
        fi
        if ! command -v runuser >/dev/null 2>&1; then
            _pg_sandbox_fail "running as root needs runuser (util-linux) to switch to the 'postgres' user"
            return 1
        fi
    fi

    local dir
    if ! dir="$(mktemp -d -t salesbot-pg.XXXXXX)"; then
        _pg_sandbox_fail "could not create a temporary directory"
        return 1
    fi
    # Record the dir at once, so that pg_sandbox_stop cleans up after a failure or Ctrl-C from here on.
    _pg_sandbox_dir="$dir"
    _pg_sandbox_bin="$bin"
    export PGSANDBOX_DIR="$dir"

    if ((EUID == 0)); then
        if ! chown postgres: "$dir" || ! runuser -u postgres -- test -w "$dir" -a -x "$dir"; then
            _pg_sandbox_fail "the 'postgres' user cannot use $dir (point TMPDIR at a directory it can reach)"
            pg_sandbox_stop
            return 1
        fi
    fi

    local password
    password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    if [[ ! "$password" =~ ^[0-9a-f]{24}$ ]]; then
        _pg_sandbox_fail "could not generate a password from /dev/urandom"
        pg_sandbox_stop
        return 1
    fi
    local pwfile="$dir/pwfile"
    if ! (umask 077 && printf '%s\n' "$password" >"$pwfile"); then
        _pg_sandbox_fail "could not write $pwfile"
        pg_sandbox_stop
        return 1
    fi
    if ((EUID == 0)); then
        chown postgres: "$pwfile" || true
    fi

    local initdb_args=(-D "$dir/data" -U salesbot --pwfile="$pwfile"
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8)
    if ! _pg_sandbox_as_owner "$bin/initdb" "${initdb_args[@]}" --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        rm -rf -- "$dir/data"
        if ! _pg_sandbox_as_owner "$bin/initdb" "${initdb_args[@]}" --locale=C >>"$dir/initdb.log" 2>&1; then
            tail -n 30 "$dir/initdb.log" >&2
            _pg_sandbox_fail "initdb failed (output above)"
            pg_sandbox_stop
            return 1
        fi
    fi
    rm -f -- "$pwfile"

    local log="$dir/postgres.log" attempt offset reason="" started=0
    for ((attempt = 1; attempt <= 5; attempt++)); do
        if ! _pg_sandbox_pick_port; then
            reason="no free TCP port on 127.0.0.1 found in 50 tries"
            break
        fi
        offset="$(stat -c %s "$log" 2>/dev/null || echo 0)"
        if _pg_sandbox_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
            -o "-p $_pg_sandbox_port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB" \
            start >"$dir/pg_ctl.log" 2>&1; then
            started=1
            break
        fi
        # Someone took the port between the check and the bind: make sure nothing is left, try another.
        if tail -c +"$((offset + 1))" "$log" 2>/dev/null |
            grep -qE 'could not bind|Address already in use|could not create any TCP/IP sockets'; then
            _pg_sandbox_kill_postmaster
            reason="port $_pg_sandbox_port was taken while starting, 5 times in a row"
            continue
        fi
        reason="$(tail -c +"$((offset + 1))" "$log" 2>/dev/null | grep -E 'FATAL|PANIC' | tail -n 1 |
            sed -E 's/^.*(FATAL|PANIC): +/\1: /' || true)"
        if [[ -z "$reason" ]]; then
            reason="$(tail -n 1 "$dir/pg_ctl.log" 2>/dev/null || true)"
        fi
        reason="${reason:-pg_ctl start failed}"
        break
    done
    if ((started == 0)); then
        {
            echo "salesbot: last lines of $log:"
            tail -n 30 "$log" 2>/dev/null || true
            tail -n 5 "$dir/pg_ctl.log" 2>/dev/null || true
        } >&2
        _pg_sandbox_fail "$reason"
        pg_sandbox_stop
        return 1
    fi

    local version
    version="$("$bin/postgres" -V 2>/dev/null | awk '{print $3}' || true)"
    export PGSANDBOX_PORT="$_pg_sandbox_port"
    export SALESBOT_TEST_PG_URL="postgresql://salesbot:$password@127.0.0.1:$_pg_sandbox_port/postgres"
    echo "salesbot: throwaway PostgreSQL ${version:-?} on 127.0.0.1:$_pg_sandbox_port (data in $dir)"
}

pg_sandbox_stop() {
    local dir="$_pg_sandbox_dir"
    if [[ -n "$dir" && -d "$dir" ]]; then
        if [[ -f "$dir/data/postmaster.pid" && -n "$_pg_sandbox_bin" ]]; then
            _pg_sandbox_as_owner "$_pg_sandbox_bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
                _pg_sandbox_as_owner "$_pg_sandbox_bin/pg_ctl" -D "$dir/data" -m immediate -w -t 15 stop >/dev/null 2>&1 ||
                _pg_sandbox_kill_postmaster
        fi
        rm -rf -- "$dir" || echo "salesbot: could not remove $dir" >&2
    fi
    _pg_sandbox_dir=""
    _pg_sandbox_bin=""
    _pg_sandbox_port=""
    unset PGSANDBOX_DIR PGSANDBOX_PORT SALESBOT_TEST_PG_URL
    return 0
}
