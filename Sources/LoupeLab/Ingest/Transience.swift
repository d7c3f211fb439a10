import Foundation
import LoupeLedger

/// Errors of the moment, not of what was asked: a full or failing disk, a busy database, no
/// descriptors left. Every door answers them with "later" and keeps the file it holds.
public enum Transience {
    public static func isTransient(_ error: any Error) -> Bool {
        if isTransientLedgerError(error) { return true }
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return DropExamination.transientCodes.contains(Int32(error.code)) }
        // Foundation reports ENOSPC from a FileHandle as a Cocoa error with the POSIX one beneath.
        if error.domain == NSCocoaErrorDomain, error.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
        return (error.userInfo[NSUnderlyingErrorKey] as? NSError).map(isTransient) ?? false
    }
}
