import Foundation
import LoupeLedger

/// One run of `loupe run`: its process and start time name its DaemonStarted and
/// DaemonStopped events, so a retried append is a no-op.
package struct DaemonSession: Sendable {
    package let pid: Int
    package let startedAt: Date

    package init(pid: Int, startedAt: Date) {
        self.pid = pid
        self.startedAt = startedAt
    }

    var id: String { "\(pid):\(startedAt.timeIntervalSince1970)" }
}

extension Workspace {
    /// Appends DaemonStarted, then closes a training run that a killed daemon left running
    /// (`orphanedRun`: a Slurm job is adopted instead), so the next training starts from a
    /// consistent log, and finishes interrupted takes.
    package func recordDaemonStarted(_ session: DaemonSession) throws {
        try finishInterruptedTakes()
        let settings = try settings.encoded()
        try ledger.append(PendingEvent(
            stream: "daemon", eventID: "daemon-started:\(session.id)",
            event: .daemonStarted(DaemonStarted(
                version: LoupeVersion.current, settingsHash: ObjectStore.sha256(settings), pid: session.pid))
        ))
        if let orphan = try orphanedRun() {
            try abortInterruptedRun(orphan.run, reason: orphan.reason)
        }
    }

    package func recordDaemonStopped(_ session: DaemonSession, reason: String) throws {
        try ledger.append(PendingEvent(
            stream: "daemon", eventID: "daemon-stopped:\(session.id)",
            event: .daemonStopped(DaemonStopped(version: LoupeVersion.current, reason: reason))
        ))
    }
}
