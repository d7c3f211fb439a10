import Foundation
import LoupeLab
import Logging

/// `loupe run`: decides *when* the lab's operations happen.
///
/// Everything here runs on the loop thread, which owns the workspace (and so the ledger's
/// writer) and `state`. Decoding, prediction and training go to libuv's thread pool as
/// `WorkRequest`s whose results come back to the loop, which records them through the
/// workspace. At most one heavy job (prediction or training) runs at a time; ingestion goes
/// on beside it.
package final class Daemon {
    let workspace: Workspace
    /// The lab folder, absolute.
    package var lab: String { workspace.root }
    let logger: Logger
    let loop = EventLoop()
    private let lock: PidLock
    private let session = DaemonSession(pid: Int(getpid()), startedAt: Date())
    /// How the HTTP server's writes reach the loop.
    package let mailbox = Mailbox()
    /// What the daemon is doing, for readers on other threads; updated with `daemon.json`.
    package let live = LiveStatus()
    /// Trainings go to the lab's Slurm cluster when set (`executor.kind` slurm).
    let slurmCluster: SlurmCluster?
    /// Where the HTTP server listens, for daemon.json; set before `run`.
    package var url: String?
    private var bound: LoopBound<DaemonState>

    /// The daemon's mutable state; loop thread only (checked in debug builds).
    var state: DaemonState {
        get { bound.value }
        _modify { yield &bound.value }
    }

    package init(lab: String, logger: Logger) throws {
        ProcessMemory.useOneArena()
        let workspace = try Workspace(at: lab)
        try workspace.checkExecutor()
        lock = try PidLock(lab: workspace.root)
        self.workspace = workspace
        self.logger = logger
        slurmCluster = workspace.slurmCluster()
        let journal = try IntakeJournal(lab: workspace.root)
        bound = LoopBound(DaemonState(inbox: workspace.inbox, corrections: workspace.corrections, journal: journal), loop: loop)
        state.lastLoggedSeq = try workspace.headSeq()
    }

    /// Runs until stopped by SIGINT or SIGTERM. Throws if the daemon cannot start, and
    /// `DaemonFailure` once it stopped on an error it cannot survive, so that `loupe run` exits
    /// nonzero and a supervisor that restarts on failure restarts it.
    package func run() throws {
        try start()
        loop.run()
        try? FileManager.default.removeItem(atPath: DaemonStatus.path(lab: workspace.root))
        if let failure = state.failure { throw DaemonFailure(reason: failure) }
    }

    private func start() throws {
        // A parent may hand down a blocked signal mask (Foundation's Process does): SIGINT and
        // SIGTERM must reach the loop, or the daemon could never be stopped cleanly.
        var handled = sigset_t()
        sigemptyset(&handled)
        sigaddset(&handled, SIGINT)
        sigaddset(&handled, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        state.lastCorrectionAt = loop.now
        state.lastTrainingFailedAt = loop.now
        // Before DaemonStarted: whoever waits for that event may signal at once.
        for number in [SIGINT, SIGTERM] {
            state.handles.signals.append(try SignalHandle(loop: loop, signal: number) { [unowned self] in self.signalled($0) })
        }
        try append {
            try workspace.recordDaemonStarted(session)
            state.serving = try workspace.servingModel()
        }
        try adoptSlurmTraining()
        cancelStaleSweeps()
        quarantineFilesThatKilledTheDaemon()
        try openMailbox()
        for folder in [workspace.inbox, workspace.corrections] {
            state.handles.watches.append(try FolderWatchHandle(loop: loop, folder: folder) { [unowned self] in self.scanSoon() })
        }
        let period = UInt64(workspace.settings.watch.rescanSeconds * 1000)
        state.handles.rescan = TimerHandle(loop: loop) { [unowned self] in
            self.scan()
            self.writeStatus()
        }
        state.handles.rescan?.start(afterMilliseconds: period, repeatMilliseconds: period)
        state.handles.flush = TimerHandle(loop: loop) { [unowned self] in self.flushExaminedImages() }
        state.handles.scan = TimerHandle(loop: loop) { [unowned self] in
            self.state.scanPending = false
            self.scan()
        }
        state.handles.wake = TimerHandle(loop: loop) { [unowned self] in
            self.state.wakeAt = nil
            self.scan()
            self.schedule()
        }
        logger.info("watching \(workspace.inbox) and \(workspace.corrections)", metadata: ["pid": "\(session.pid)"])
        scan()
        schedule()
    }

    /// Runs a lab operation on the loop thread and logs every event it appended, one line
    /// each. Callers wait out a transient failure (`TransientFault`: disk full, database
    /// locked) with `backOff`, and stop the daemon through `fail` on any other.
    func append(_ operation: () throws -> Void) rethrows {
        defer { logNewEvents() }
        try operation()
    }

    func logNewEvents() {
        do {
            try workspace.forEachEvent(after: state.lastLoggedSeq) { row in
                logger.info("\(row.type) \(row.summary)", metadata: ["seq": "\(row.seq)"])
                state.lastLoggedSeq = row.seq
            }
        } catch {
            logger.error("cannot read the event log: \(error)")
        }
    }

    func fail(_ error: Error, while doing: String) {
        logger.critical("\(doing) failed: \(error); stopping")
        state.stopReason = "\(doing) failed: \(error)"
        state.failure = state.stopReason
        state.stopping = true
        state.monitor.requestStop()
        finishIfIdle()
    }

    /// First signal: stop taking work, let running jobs end (training at its next batch), then
    /// append DaemonStopped and exit. Second signal: exit at once.
    private func signalled(_ number: Int32) {
        if state.stopping {
            logger.warning("second signal: exiting now")
            exit(130)
        }
        logger.info("signal \(number): finishing running work, then stopping")
        state.stopReason = "stopped by signal \(number)"
        state.stopping = true
        state.monitor.requestStop()
        for watch in state.handles.watches { watch.close() }
        state.handles.watches = []
        finishIfIdle()
    }

    func finishIfIdle() {
        if state.stopping { refuseQueuedPredictions() }
        guard state.stopping, state.heavy == nil, state.onDemand.isIdle, state.hints.isIdle, state.inFlight.isEmpty,
              !state.slurmRequest, !state.slurmLooking, !state.sweepRequest, !state.cancellingStaleSweeps else { return }
        if let followed = state.slurm {
            logger.info("Slurm job \(followed.training.slurmJob) of training run \(followed.training.run) runs on; the next start follows it")
        }
        if let ended = state.unrecordedTraining {
            do {
                try record(ended)
                state.unrecordedTraining = nil
            } catch {
                logger.error("training run \(ended.plan.run) could not be recorded before stopping: \(error); the next start trains again")
            }
        }
        do {
            try append { try workspace.recordDaemonStopped(session, reason: state.stopReason) }
        } catch {
            logger.error("could not record DaemonStopped: \(error)")
        }
        mailbox.close(.stopping(state.stopReason))
        live.update(nil)
        state.handles.closeAll()
    }

    /// Wakes the loop at `delay` ms from now (for a settling file or the quiet period), unless
    /// an earlier wake-up is already set.
    func wake(after delay: UInt64) {
        let due = loop.now + max(delay, 1)
        if let wakeAt = state.wakeAt, wakeAt <= due { return }
        state.wakeAt = due
        state.handles.wake?.stop()
        state.handles.wake?.start(afterMilliseconds: max(delay, 1))
    }

    func writeStatus() {
        var training: DaemonStatus.Training?
        if case .training(let run) = state.heavy {
            let progress = state.monitor.progress
            if let progress, progress.epoch > state.loggedEpoch {
                state.loggedEpoch = progress.epoch
                logger.info("training run \(run): epoch \(progress.epoch), loss \(progress.loss), \(Int(progress.cropsPerSecond)) crops/s")
            }
            training = DaemonStatus.Training(
                run: run, epoch: progress?.epoch ?? 0, batch: progress?.batch ?? 0,
                batchesPerEpoch: progress?.batchesPerEpoch ?? 0, loss: progress.map { Double($0.loss) },
                elapsedSeconds: progress?.elapsedSeconds ?? 0, remainingSeconds: progress?.remainingSeconds
            )
        }
        let waiting = state.serving.flatMap { try? workspace.predictionBacklogCount(model: $0.sha) } ?? 0
        let status = DaemonStatus(
            pid: session.pid, startedAt: session.startedAt.formatted(.iso8601), activity: state.activity, training: training,
            waitingForPrediction: waiting, filesBeingIngested: state.inFlight.count, url: url
        )
        status.write(lab: workspace.root)
        live.update(status)
    }
}
