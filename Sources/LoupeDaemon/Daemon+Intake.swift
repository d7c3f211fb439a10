import Foundation
import LoupeLab
import LoupeLedger

extension Daemon {
    /// Re-lists both drop folders and takes every file that has settled. Called on folder
    /// events, on the rescan timer and at start-up: events are only hints, the listing is truth.
    func scan() {
        guard !stopping else { return }
        let now = loop.now
        let settle = UInt64(workspace.settings.watch.settleMilliseconds)
        for name in inbox.stableFiles(now: now, settle: settle) {
            let path = "\(inbox.path)/\(name)"
            if !inFlight.contains(path) { takeImage(path) }
        }
        // A correction dropped with its image may be listed before the image is ingested:
        // one that matches nothing waits while the inbox still holds files.
        let inboxBusy = !inbox.isEmpty
        for name in corrections.stableFiles(now: now, settle: settle) {
            let path = "\(corrections.path)/\(name)"
            if !inFlight.contains(path) { takeCorrection(path, waitIfUnmatched: inboxBusy) }
        }
        let next = [inbox.nextSettle(settle: settle), corrections.nextSettle(settle: settle)].compactMap { $0 }.filter { $0 > now }.min()
        if let next { wake(after: next - now) }
    }

    private func takeImage(_ path: String) {
        inFlight.insert(path)
        let objects = workspace.objects
        let limit = workspace.settings.maxImageDimension
        WorkRequest.submit(on: loop, work: {
            ExaminedImage.examine(path, objects: objects, maxDimension: limit)
        }, after: { [unowned self] examined in
            self.inFlight.remove(path)
            self.record(path) { try self.workspace.recordImage(examined, from: path) }
            self.schedule()
        })
    }

    private func takeCorrection(_ path: String, waitIfUnmatched: Bool) {
        let match: Result<CorrectionMatch, Refusal>
        do { match = try workspace.matchCorrection(at: path) } catch {
            return fail(error, while: "matching \(path)")
        }
        switch match {
        case .failure(let refusal):
            if waitIfUnmatched { return }
            record(path) { try self.workspace.recordCorrection(.refused(refusal), from: path) }
        case .success(let found):
            inFlight.insert(path)
            let objects = workspace.objects
            let limit = workspace.settings.maxImageDimension
            WorkRequest.submit(on: loop, work: {
                ExaminedCorrection.examine(path, match: found, objects: objects, maxDimension: limit)
            }, after: { [unowned self] examined in
                self.inFlight.remove(path)
                self.record(path) { try self.workspace.recordCorrection(examined, from: path) }
                if case .mask = examined { self.lastCorrectionAt = self.loop.now }
                self.schedule()
            })
        }
    }

    /// Appends a dropped file's outcome. A file taken back by the user before it was recorded
    /// is let go; a ledger failure stops the daemon; a failure to move one file is logged and
    /// the file stays where it is for the next scan.
    private func record(_ path: String, _ operation: () throws -> IntakeOutcome) {
        guard FileManager.default.fileExists(atPath: path) else {
            logger.notice("\(path) disappeared before it was recorded; nothing appended")
            return finishIfIdle()
        }
        do {
            try append {
                let outcome = try operation()
                if case .alreadyKnown = outcome { logger.info("\(path): \(outcome)") }
            }
        } catch let error as SQLiteError {
            fail(error, while: "recording \(path)")
        } catch {
            logger.error("\(path): \(error); left in place for the next scan")
        }
        finishIfIdle()
    }
}
