import Foundation
import LoupeLedger

/// Errors of the disk or the process, not of what was being written: the same write may
/// succeed later, so the caller leaves things as they are and retries instead of refusing a
/// file, failing a training or stopping the daemon.
package enum TransientFault {
    static let codes: Set<Int32> = [ENOSPC, EDQUOT, EIO, EMFILE, ENFILE, ENOMEM, EAGAIN, EBUSY, EINTR]

    /// The ledger's own failure (disk full, locked, I/O) or a transient POSIX error.
    package static func contains(_ error: any Error) -> Bool {
        LedgerError.isStorage(error) || isPOSIX(error)
    }

    /// A POSIX error with one of `codes`, also as the underlying error of Foundation's file
    /// operations (creating an object's folder on a full disk fails that way).
    static func isPOSIX(_ error: any Error) -> Bool {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return codes.contains(Int32(error.code)) }
        // A FileHandle's ENOSPC arrives as a Cocoa error, sometimes without the POSIX one beneath.
        if error.domain == NSCocoaErrorDomain, error.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
        guard let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError else { return false }
        return underlying.domain == NSPOSIXErrorDomain && codes.contains(Int32(underlying.code))
    }
}
