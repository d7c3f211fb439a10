import Foundation

/// Slurm's commands as stand-ins on `PATH`, for tests of the daemon's Slurm executor without a
/// cluster: `sbatch` runs the job's `--wrap` command in the background as a one-node cluster
/// would (with SLURM_CPUS_PER_TASK, its output in `--output`), `squeue` reports its state,
/// `scancel` kills it. A test holds new jobs PENDING (`hold`), releases them, or ends one in
/// any state Slurm knows (`end`). There is no `sacct`, as on a cluster without accounting.
final class FakeSlurm {
    let root: String
    var bin: String { "\(root)/bin" }
    /// PATH for the daemon: the stand-ins first.
    var path: String { "\(bin):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")" }

    init() throws {
        root = NSTemporaryDirectory() + "loupe-fake-slurm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(root)/jobs", withIntermediateDirectories: true)
        let script = "\(bin)/fake-slurm"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        for command in ["sbatch", "squeue", "scancel", "sinfo"] {
            try FileManager.default.createSymbolicLink(atPath: "\(bin)/\(command)", withDestinationPath: script)
        }
    }

    /// Jobs still running are killed: only those, whose process groups are still theirs.
    deinit {
        for file in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where file.hasSuffix(".state") {
            let job = String(file.dropFirst("job-".count).dropLast(".state".count))
            if state(of: job) == "RUNNING", let pid = pid(of: job) { kill(-pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    private func pid(of job: String) -> Int32? {
        Int32(((try? String(contentsOfFile: "\(root)/job-\(job).pid", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    var jobDirectory: String { "\(root)/jobs" }

    /// The `executor` object of a lab that submits to these stand-ins.
    func executor(binary: String = DaemonHarness.binary) -> String {
        #"{"kind": "slurm", "binary": "\#(binary)", "jobDirectory": "\#(jobDirectory)", "cpusPerTask": 2, "pollSeconds": 0.2}"#
    }

    /// Every sbatch call's arguments, one line each.
    var submissions: [String] {
        ((try? String(contentsOfFile: "\(root)/sbatch.calls", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    var cancellations: [String] {
        ((try? String(contentsOfFile: "\(root)/scancel.calls", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func state(of job: String) -> String? {
        (try? String(contentsOfFile: "\(root)/job-\(job).state", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// New jobs whose name holds `name` (every new job by default) stay PENDING until `release`.
    func hold(_ name: String = "") { _ = FileManager.default.createFile(atPath: "\(root)/hold", contents: Data(name.utf8)) }

    /// Pending jobs start at squeue's next look.
    func release() { try? FileManager.default.removeItem(atPath: "\(root)/hold") }

    /// Ends a job as Slurm would on a node failure, a time limit or an administrator's scancel:
    /// its processes killed, its state set.
    func end(_ job: String, as state: String) throws {
        let running = self.state(of: job) == "RUNNING"
        try Data("\(state)\n".utf8).write(to: URL(fileURLWithPath: "\(root)/job-\(job).state"))
        if running, let pid = pid(of: job) { kill(-pid, SIGKILL) }
    }

    static let script = #"""
        #!/bin/bash
        # Stand-ins for sbatch, squeue, scancel and sinfo, by the name called (Loupe's tests).
        set -u
        d="$(cd "$(dirname "$0")/.." && pwd)"
        held() { # name: whether `hold` holds a job of that name
            [ -e "$d/hold" ] && [[ "$1" == *"$(cat "$d/hold")"* ]]
        }
        start_job() { # id: runs the job, or each task of an array one after the other
            local id="$1" wrap out cpus last
            wrap="$(cat "$d/job-$id.wrap")"; out="$(cat "$d/job-$id.output")"; cpus="$(cat "$d/job-$id.cpus")"
            last="$(cat "$d/job-$id.array" 2>/dev/null || true)"
            echo RUNNING > "$d/job-$id.state"
            SLURM_CPUS_PER_TASK="$cpus" SLURM_JOB_ID="$id" setsid bash -c '
                s=COMPLETED
                if [ -z "$4" ]; then
                    sh -c "$3" > "${2//%j/$5}" 2>&1 || s=FAILED
                else
                    for k in $(seq 0 "$4"); do
                        o="${2//%A/$5}"
                        SLURM_ARRAY_TASK_ID="$k" sh -c "$3" > "${o//%a/$k}" 2>&1 || s=FAILED
                    done
                fi
                if [ "$(cat "$1")" = RUNNING ]; then echo "$s" > "$1"; fi
            ' _ "$d/job-$id.state" "$out" "$wrap" "$last" "$id" </dev/null >/dev/null 2>&1 &
            echo $! > "$d/job-$id.pid"
        }
        case "$(basename "$0")" in
        sbatch)
            echo "$*" >> "$d/sbatch.calls"
            wrap=""; out="slurm-%j.out"; name=""; cpus=1; array=""
            for a in "$@"; do
                case "$a" in
                    --wrap=*) wrap="${a#--wrap=}" ;;
                    --output=*) out="${a#--output=}" ;;
                    --job-name=*) name="${a#--job-name=}" ;;
                    --cpus-per-task=*) cpus="${a#--cpus-per-task=}" ;;
                    --array=0-*) array="${a#--array=0-}" ;;
                esac
            done
            id="$(cat "$d/next-id" 2>/dev/null || echo 100)"
            echo $((id + 1)) > "$d/next-id"
            echo "$wrap" > "$d/job-$id.wrap"; echo "$out" > "$d/job-$id.output"
            if [ -n "$array" ]; then echo "$array" > "$d/job-$id.array"; fi
            echo "$name" > "$d/job-$id.name"; echo "$cpus" > "$d/job-$id.cpus"
            if held "$name"; then echo PENDING > "$d/job-$id.state"; else start_job "$id"; fi
            echo "$id"
            ;;
        squeue)
            job=""; name=""
            for a in "$@"; do
                case "$a" in --jobs=*) job="${a#--jobs=}" ;; --name=*) name="${a#--name=}" ;; esac
            done
            if [ -n "$name" ]; then
                for f in "$d"/job-*.name; do
                    [ -e "$f" ] || continue
                    id="$(basename "$f" .name)"; id="${id#job-}"
                    state="$(cat "$d/job-$id.state")"
                    if [ "$(cat "$f")" = "$name" ] && { [ "$state" = PENDING ] || [ "$state" = RUNNING ]; }; then echo "$id"; fi
                done
                exit 0
            fi
            if [ ! -e "$d/job-$job.state" ]; then echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; fi
            if [ "$(cat "$d/job-$job.state")" = PENDING ] && ! held "$(cat "$d/job-$job.name")"; then start_job "$job"; fi
            cat "$d/job-$job.state"
            ;;
        scancel)
            echo "$*" >> "$d/scancel.calls"
            for job in "$@"; do
                [ -e "$d/job-$job.state" ] || { echo "scancel: error: Invalid job id $job" >&2; exit 1; }
                echo CANCELLED > "$d/job-$job.state"
                if [ -e "$d/job-$job.pid" ]; then kill -KILL -- "-$(cat "$d/job-$job.pid")" 2>/dev/null; fi
            done
            ;;
        sinfo)
            echo loupe
            ;;
        esac
        """#
}
