import Foundation

/// Who keeps a file after it is taken. Files dropped into inbox/ or corrections/ are the lab's
/// to move; a file named on the command line from anywhere else stays where it is, and only
/// a copy goes to rejected/ when it is refused.
enum Custody {
    case dropped
    case borrowed
}

/// A path typed to `loupe ingest` that is refused before anything is read or recorded.
package enum GivenPathError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case notAFile(String, kind: String)
    case insideLab(String)

    package var description: String {
        switch self {
        case .missing(let path): "\(EventRow.printable(path)): no such file"
        case .notAFile(let path, let kind): "\(EventRow.printable(path)): \(kind), not a file; give image files"
        case .insideLab(let path): "\(EventRow.printable(path)): inside the lab's own state; give a file from outside the lab, inbox/ or corrections/"
        }
    }
}

extension Workspace {
    /// Checks a path typed by hand: it must be a regular file (a link is not followed), either
    /// in the drop folder of its kind (then the lab moves it, as the daemon does) or outside the
    /// lab (then it is copied and left in place). Nothing of the lab's own state is taken.
    func custody(ofGiven path: String, dropFolder: String) throws -> Custody {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw GivenPathError.missing(path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw GivenPathError.notAFile(path, kind: FileReading.kind(of: info.st_mode)) }
        let folder = Self.resolved((path as NSString).deletingLastPathComponent)
        if folder == Self.resolved(dropFolder) { return .dropped }
        let lab = Self.resolved(root)
        guard folder != lab, !folder.hasPrefix(lab + "/") else { throw GivenPathError.insideLab(path) }
        return .borrowed
    }

    /// The folder with every symbolic link resolved, so a linked path into the lab is seen as one.
    private static func resolved(_ folder: String) -> String {
        guard let real = realpath(folder, nil) else { return folder }
        defer { free(real) }
        return String(cString: real)
    }
}
