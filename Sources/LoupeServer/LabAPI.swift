import Foundation
import Hummingbird
import LoupeDaemon
import LoupeLab
import Logging

/// What every route shares: readers for looking, the daemon's mailbox for writing, its live
/// status, the claims and the folder uploads are staged in.
struct LabAPI: Sendable {
    let readers: ReaderPool
    let mailbox: Mailbox
    let live: LiveStatus
    let claims: Claims
    let access: Access
    let staging: UploadStaging
    let logger: Logger

    func status(caller: Caller) throws -> Response {
        struct Status: Encodable {
            let lab: LabStatus
            let daemon: DaemonStatus?
            let annotator: String?
        }
        let lab = try readers.read { try $0.status() }
        return try JSONBody.response(Status(lab: lab, daemon: live.status, annotator: caller.annotator))
    }
}
