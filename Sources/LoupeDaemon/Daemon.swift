import Foundation
import LoupeLab
import LoupeLedger
import LoupeVision
import Logging

/// `loupe run`: decides *when* the lab's operations happen.
///
/// Everything here runs on the loop thread, which owns the workspace (and so the ledger's
/// writer). Decoding, prediction and training go to libuv's thread pool as `WorkRequest`s
/// whose results come back to the loop, which appends the events. At most one heavy job
/// (prediction or training) runs at a time; ingestion goes on beside it.
public final class Daemon {
    public static let version = "0.1.0"

    let workspace: Workspace
    let logger: Logger
    let loop = EventLoop()
    private let lock: PidLock

    var inbox: DropFolder
    var corrections: DropFolder
    /// Dropped files whose examination is on the thread pool, or whose result awaits its flush.
    var inFlight: Set<String> = []
    var examinedImages: [(examined: ExaminedImage, path: String)] = []
    var flushTimer: TimerHandle?
    /// Folder events arrive one per file; a burst of them is answered by one listing.
    var scanTimer: TimerHandle?
    var scanPending = false
    var heavy: HeavyJob?
    var current: (sha: String, weights: ModelWeights)?
    /// Images whose prediction failed in this process, not retried until a restart.
    var unpredictable: Set<String> = []
    /// Loop time of the last accepted correction: the quiet period counts from it.
    var lastCorrectionAt: UInt64
    var monitor = TrainingMonitor()
    /// The last epoch of the running training that was logged.
    var loggedEpoch = 0
    private(set) var stopping = false
    private var stopReason = ""
    private var lastLoggedSeq: Int
    private let startedAt = Date()

    private var watches: [FolderWatchHandle] = []
    private var signals: [SignalHandle] = []
    private var rescanTimer: TimerHandle?
    var wakeTimer: TimerHandle?
    /// Loop time the wake timer is set for, if it is set.
    var wakeAt: UInt64?

    enum HeavyJob {
        case prediction(image: String)
        case training(run: Int)
    }

    public init(lab: String, logger: Logger) throws {
        let workspace = try Workspace(at: lab)
        lock = try PidLock(lab: workspace.root)
        self.workspace = workspace
        self.logger = logger
        inbox = DropFolder(path: workspace.inbox)
        corrections = DropFolder(path: workspace.corrections)
        lastLoggedSeq = try workspace.ledger.head().seq
        lastCorrectionAt = 0
    }

    /// Runs until stopped by SIGINT or SIGTERM. Throws only if the daemon cannot start.
    public func run() throws {
        try start()
        loop.run()
        try? FileManager.default.removeItem(atPath: DaemonStatus.path(lab: workspace.root))
    }

    private func start() throws {
        // A parent may hand down a blocked signal mask (Foundation's Process does): SIGINT and
        // SIGTERM must reach the loop, or the daemon could never be stopped cleanly.
        var handled = sigset_t()
        sigemptyset(&handled)
        sigaddset(&handled, SIGINT)
        sigaddset(&handled, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        lastCorrectionAt = loop.now
        try append {
            let settings = String(decoding: try workspace.settings.encoded(), as: UTF8.self)
            try workspace.ledger.append(PendingEvent(
                stream: "daemon", eventID: "daemon-started:\(getpid()):\(startedAt.timeIntervalSince1970)",
                event: .daemonStarted(DaemonStarted(
                    version: Self.version, settingsHash: ObjectStore.sha256(Array(settings.utf8)), pid: Int(getpid())))
            ))
            if let interrupted = try workspace.trainingNeed().interruptedRun {
                try workspace.abortInterruptedRun(interrupted, reason: "the daemon ended during training; resumed by a restart")
            }
            if let model = try workspace.projections.currentModel() {
                current = (model.sha, try workspace.weights(of: model.sha))
            }
        }
        for folder in [workspace.inbox, workspace.corrections] {
            watches.append(try FolderWatchHandle(loop: loop, folder: folder) { [unowned self] in self.scanSoon() })
        }
        for number in [SIGINT, SIGTERM] {
            signals.append(try SignalHandle(loop: loop, signal: number) { [unowned self] in self.signalled($0) })
        }
        let period = UInt64(workspace.settings.watch.rescanSeconds * 1000)
        rescanTimer = TimerHandle(loop: loop) { [unowned self] in
            self.scan()
            self.writeStatus()
        }
        rescanTimer?.start(afterMilliseconds: period, repeatMilliseconds: period)
        flushTimer = TimerHandle(loop: loop) { [unowned self] in self.flushExaminedImages() }
        scanTimer = TimerHandle(loop: loop) { [unowned self] in
            self.scanPending = false
            self.scan()
        }
        wakeTimer = TimerHandle(loop: loop) { [unowned self] in
            self.wakeAt = nil
            self.scan()
            self.schedule()
        }
        logger.info("watching \(workspace.inbox) and \(workspace.corrections)", metadata: ["pid": "\(getpid())"])
        scan()
        schedule()
    }

    /// Runs a ledger operation on the loop thread and logs every event it appended, one line
    /// each. Callers take a failure here as the ledger's (disk full, database locked) and stop
    /// the daemon through `fail` rather than carry on with a log they could not write.
    func append(_ operation: () throws -> Void) rethrows {
        defer { logNewEvents() }
        try operation()
    }

    func logNewEvents() {
        do {
            try workspace.ledger.forEachEvent(after: lastLoggedSeq) { row in
                logger.info("\(row.type) \(row.summary)", metadata: ["seq": "\(row.seq)"])
                lastLoggedSeq = row.seq
            }
        } catch {
            logger.error("cannot read the event log: \(error)")
        }
    }

    func fail(_ error: Error, while doing: String) {
        logger.critical("\(doing) failed: \(error); stopping")
        stopReason = "\(doing) failed: \(error)"
        stopping = true
        monitor.requestStop()
        finishIfIdle()
    }

    /// First signal: stop taking work, let running jobs end (training at its next batch), then
    /// append DaemonStopped and exit. Second signal: exit at once.
    private func signalled(_ number: Int32) {
        if stopping {
            logger.warning("second signal: exiting now")
            exit(130)
        }
        logger.info("signal \(number): finishing running work, then stopping")
        stopReason = "stopped by signal \(number)"
        stopping = true
        monitor.requestStop()
        for watch in watches { watch.close() }
        watches = []
        finishIfIdle()
    }

    func finishIfIdle() {
        guard stopping, heavy == nil, inFlight.isEmpty else { return }
        do {
            try append {
                try workspace.ledger.append(PendingEvent(
                    stream: "daemon", eventID: "daemon-stopped:\(getpid()):\(startedAt.timeIntervalSince1970)",
                    event: .daemonStopped(DaemonStopped(version: Self.version, reason: stopReason))
                ))
            }
        } catch {
            logger.error("could not record DaemonStopped: \(error)")
        }
        for watch in watches { watch.close() }
        for signal in signals { signal.close() }
        rescanTimer?.close()
        wakeTimer?.close()
        flushTimer?.close()
        scanTimer?.close()
        watches = []
        signals = []
        rescanTimer = nil
        wakeTimer = nil
        flushTimer = nil
        scanTimer = nil
    }

    /// Wakes the loop at `delay` ms from now (for a settling file or the quiet period), unless
    /// an earlier wake-up is already set.
    func wake(after delay: UInt64) {
        let due = loop.now + max(delay, 1)
        if let wakeAt, wakeAt <= due { return }
        wakeAt = due
        wakeTimer?.stop()
        wakeTimer?.start(afterMilliseconds: max(delay, 1))
    }

    func writeStatus() {
        var training: DaemonStatus.Training?
        if case .training(let run) = heavy {
            let progress = monitor.progress
            if let progress, progress.epoch > loggedEpoch {
                loggedEpoch = progress.epoch
                logger.info("training run \(run): epoch \(progress.epoch), loss \(progress.loss), \(Int(progress.cropsPerSecond)) crops/s")
            }
            training = DaemonStatus.Training(
                run: run, epoch: progress?.epoch ?? 0, batch: progress?.batch ?? 0,
                batchesPerEpoch: progress?.batchesPerEpoch ?? 0, loss: progress.map { Double($0.loss) },
                elapsedSeconds: progress?.elapsedSeconds ?? 0, remainingSeconds: progress?.remainingSeconds
            )
        }
        let activity: String
        switch heavy {
        case .prediction(let image): activity = "predicting \(image.prefix(12))"
        case .training(let run): activity = "training run \(run)"
        case nil: activity = stopping ? "stopping" : "idle"
        }
        let waiting = current.flatMap { try? workspace.predictionBacklog(model: $0.sha).count } ?? 0
        DaemonStatus(
            pid: Int(getpid()), startedAt: startedAt.formatted(.iso8601), activity: activity, training: training,
            waitingForPrediction: waiting, filesBeingIngested: inFlight.count
        ).write(lab: workspace.root)
    }
}
