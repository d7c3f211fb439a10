import Foundation
import LoupeLab

extension Gateway {
    /// A correction of `image` from a door, recorded as `annotator`'s (the caller's, never a
    /// payload's), based on `basedOnModel`'s prediction, made as `making` says (the page's
    /// clicks and strokes). `receive` writes the mask as for `takeImage`; `name` is the staged
    /// file's name.
    package func takeCorrection(
        of image: ImageRecord, annotator: String?, basedOnModel: String?, making: CorrectionMaking? = nil,
        receive: (String) async throws -> String
    ) async throws -> Taken {
        let staged = try await staged(.corrections, receive)
        defer { staged.release() }
        let path = staged.path
        let examination: @Sendable () -> ExaminedCorrection
        do {
            examination = try readers.read { lab in
                try lab.correctionExamination(of: path, image: image.sha, annotator: annotator, basedOnModel: basedOnModel,
                                              making: making, incompleteGrace: 0)
            }
        } catch let error as CorrectionError {
            staged.discard()
            throw GatewayError.badCorrection(error.description)
        }
        let examined = try await examine(examination)
        let outcome: IntakeOutcome
        do {
            outcome = try await mailbox.perform { context in
                let outcome = try context.workspace.recordCorrection(examined, from: path)
                context.correctionExamined(examined)
                return outcome
            }
        } catch where TransientFault.contains(error) {
            throw deferred(staged, kind: .corrections, what: "correction", reason: "\(error)")
        }
        return try answer(outcome, staged: staged, kind: .corrections, what: "correction")
    }

    /// Bytes a door received but cannot take (a Label Studio annotation whose mask does not
    /// decode), kept in rejected/ with `reason` and a refusal event as a dropped file would be.
    /// Always throws: `rejected`, or `deferred` when the lab cannot record it now.
    package func refuse(_ bytes: [UInt8], name: String, asCorrection: Bool, reason: String) async throws -> Never {
        let kind: UploadStaging.Kind = asCorrection ? .corrections : .images
        let staged = try staging.stage(bytes, kind: kind, name: name)
        defer { staged.release() }
        let path = staged.path
        let refusal = try Workspace.receivedRefusal(at: path, reason: reason)
        let outcome: IntakeOutcome
        do {
            outcome = try await mailbox.perform { try $0.workspace.refuseReceived(at: path, asCorrection: asCorrection, refusal: refusal) }
        } catch where TransientFault.contains(error) {
            throw deferred(staged, kind: kind, what: "correction", reason: "\(error)")
        }
        _ = try answer(outcome, staged: staged, kind: kind, what: "correction")
        throw GatewayError.rejected(what: "correction", reason: reason, rejectedPath: path)
    }

    /// Bytes in hand (a mask decoded from Label Studio's RLE) taken as a correction.
    package func takeCorrection(
        of image: ImageRecord, annotator: String?, basedOnModel: String?, making: CorrectionMaking? = nil, bytes: [UInt8], name: String
    ) async throws -> Taken {
        try await takeCorrection(of: image, annotator: annotator, basedOnModel: basedOnModel, making: making) { folder in
            try UploadStaging.write(bytes, into: folder, name: name)
        }
    }
}
