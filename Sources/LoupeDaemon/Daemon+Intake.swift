import Foundation
import LoupeLab

extension Daemon {
    /// Re-lists both drop folders and takes every file that has settled. Called on folder
    /// events, on the rescan timer and at start-up: events are only hints, the listing is truth.
    func scanSoon() {
        guard !state.scanPending else { return }
        state.scanPending = true
        state.handles.scan?.start(afterMilliseconds: 5)
    }

    func scan() {
        guard !state.stopping else { return }
        let now = loop.now
        guard now >= state.backoff.pausedUntil else { return wake(after: state.backoff.pausedUntil - now) }
        let settle = UInt64(workspace.settings.watch.settleMilliseconds)
        let images = state.inbox.scan(now: now, settle: settle)
        for name in images.files {
            let path = "\(state.inbox.path)/\(name)"
            if !state.inFlight.contains(path) { takeImage(path) }
        }
        refuseOthers(images, in: state.inbox.path, inCorrections: false)
        // A correction dropped with its image may be listed before the image is ingested:
        // one that matches nothing waits while the inbox still holds files.
        let inboxBusy = !state.inbox.isEmpty
        let masks = state.corrections.scan(now: now, settle: settle)
        for name in masks.files {
            let path = "\(state.corrections.path)/\(name)"
            if !state.inFlight.contains(path) { takeCorrection(path, waitIfUnmatched: inboxBusy) }
        }
        refuseOthers(masks, in: state.corrections.path, inCorrections: true)
        let next = [state.inbox.nextSettle(settle: settle), state.corrections.nextSettle(settle: settle)]
            .compactMap { $0 }.filter { $0 > now }.min()
        if let next { wake(after: next - now) }
    }

    /// Folders, links, FIFOs and names that are not UTF-8 go to rejected/ with a reason.
    private func refuseOthers(_ listing: DropFolder.Listing, in folder: String, inCorrections: Bool) {
        for name in listing.others {
            let path = "\(folder)/\(name)"
            guard !state.inFlight.contains(path) else { continue }
            record(path) { try self.workspace.refuseEntry(at: path, inCorrections: inCorrections) }
        }
        for raw in listing.undecodable {
            do {
                try append { _ = try workspace.refuseUndecodableName(raw, inCorrections: inCorrections) }
            } catch {
                logger.error("a name that is not UTF-8 in \(folder): \(error); left in place for the next scan")
            }
        }
    }

    private func takeImage(_ path: String) {
        state.inFlight.insert(path)
        state.journal.started(path)
        WorkRequest.submit(on: loop, work: workspace.imageExamination(of: path), after: { [unowned self] examined in
            self.state.journal.finished(path)
            if self.state.examinedImages.isEmpty { self.state.handles.flush?.start(afterMilliseconds: 0) }
            self.state.examinedImages.append((examined, path))
        })
    }

    /// Records every image examined since the last flush in one transaction. Runs from a
    /// zero-delay timer, so all the pool results that arrived in one loop iteration go together.
    func flushExaminedImages() {
        let batch = state.examinedImages.filter { item in
            if FileManager.default.fileExists(atPath: item.path) { return true }
            logger.notice("\(EventRow.printable(item.path)) disappeared before it was recorded; nothing appended")
            return false
        }
        let paths = state.examinedImages.map(\.path)
        state.examinedImages = []
        do {
            try append {
                for (item, outcome) in zip(batch, try workspace.recordImages(batch)) { note(outcome, of: item.path) }
            }
            recovered()
        } catch where TransientFault.contains(error) {
            backOff("\(error)", while: "recording \(batch.count) images")
        } catch {
            logger.error("recording \(batch.count) images: \(error); left in place for the next scan")
        }
        state.inFlight.subtract(paths)
        schedule()
        finishIfIdle()
    }

    private func takeCorrection(_ path: String, waitIfUnmatched: Bool) {
        let match: Result<CorrectionMatch, Refusal>
        do { match = try workspace.matchCorrection(at: path) } catch {
            return backOff("\(error)", while: "matching \(EventRow.printable(path))")
        }
        switch match {
        case .failure(let refusal):
            if waitIfUnmatched { return }
            record(path) { try self.workspace.recordCorrection(.refused(refusal), from: path) }
        case .success(let found):
            state.inFlight.insert(path)
            state.journal.started(path)
            WorkRequest.submit(on: loop, work: workspace.correctionExamination(of: path, match: found), after: { [unowned self] examined in
                self.state.journal.finished(path)
                self.state.inFlight.remove(path)
                self.record(path) { try self.workspace.recordCorrection(examined, from: path) }
                if examined.restartsQuietPeriod { self.state.lastCorrectionAt = self.loop.now }
                self.schedule()
            })
        }
    }

    /// Appends a dropped file's outcome. A file taken back by the user before it was recorded
    /// is let go; on any failure the file stays where it is for a later scan, and a transient
    /// one (`TransientFault`: a full disk, a busy ledger) pauses intake with back-off.
    private func record(_ path: String, _ operation: () throws -> IntakeOutcome) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            logger.notice("\(EventRow.printable(path)) disappeared before it was recorded; nothing appended")
            return finishIfIdle()
        }
        do {
            try append { note(try operation(), of: path) }
            recovered()
        } catch where TransientFault.contains(error) {
            backOff("\(error)", while: "recording \(EventRow.printable(path))")
        } catch {
            logger.error("\(EventRow.printable(path)): \(error); left in place for the next scan")
        }
        finishIfIdle()
    }

    /// Logs what the events do not say: a file known already, or one left in place (once per
    /// file, not on every rescan while it waits).
    private func note(_ outcome: IntakeOutcome, of path: String) {
        switch outcome {
        case .alreadyKnown:
            logger.info("\(EventRow.printable(path)): \(outcome)")
        case .deferred:
            if state.deferred.insert(path).inserted { logger.info("\(EventRow.printable(path)): \(outcome)") }
        case .accepted, .anotherName, .rejected:
            state.deferred.remove(path)
        }
    }

    /// A transient failure (`TransientFault`): every file stays where it is, a training's result
    /// waits in memory, and intake and scheduling pause, longer while it lasts. Logged when a streak begins, not on every retry.
    func backOff(_ reason: String, while doing: String, keeping kept: String = "files stay where they are") {
        let (wait, startsStreak) = state.backoff.failed(now: loop.now)
        if startsStreak {
            logger.warning("\(doing) failed: \(reason); \(kept), retrying in \(wait / 1000) s and then less often, up to \(Backoff.longest / 1000) s")
        }
        wake(after: wait)
    }

    func recovered() {
        if state.backoff.succeeded() { logger.notice("the ledger and the disk accept writes again; intake resumed") }
    }

    /// Files the daemon died reading twice go to rejected/ unread (see `IntakeJournal`).
    func quarantineFilesThatKilledTheDaemon() {
        for (path, deaths) in state.journal.toQuarantine {
            logger.warning("\(EventRow.printable(path)): the daemon died \(deaths) times reading it; quarantined")
            record(path) { try self.workspace.quarantine(path, inCorrections: path.hasPrefix(self.workspace.corrections + "/"), deaths: deaths) }
            state.journal.finished(path)
        }
    }
}
