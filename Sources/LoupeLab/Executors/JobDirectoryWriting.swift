import Foundation
import LoupeLedger

/// How the daemon writes a job directory for a node, a training's or a sweep's: built under a
/// hidden temporary name beside it and renamed into place, so whoever finds the directory
/// finds it whole; an existing one is refused, never overwritten.
enum JobDirectoryWriting {
    /// Builds the folder at `directory` by calling `build` with the temporary path.
    static func write(_ directory: String, build: (String) throws -> Void) throws {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: directory) else { throw TrainingJobError.directoryExists(directory) }
        let parent = (directory as NSString).deletingLastPathComponent
        let temporary = "\(parent)/.\((directory as NSString).lastPathComponent).\(getpid()).tmp"
        try? manager.removeItem(atPath: temporary)
        do {
            try build(temporary)
            guard rename(temporary, directory) == 0 else { throw DurableFile.posixError("rename \(temporary) to \(directory)") }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
        try DurableFile.syncFolder(parent)
    }

    /// Puts the lab's objects `shas` into a job's store: a hard link to the lab's object when
    /// the job folder is on the same filesystem, else a copy (a shared filesystem for the
    /// nodes is usually another one than the lab's). A hard link is the lab's own file, so
    /// nothing may write into a job's objects/, only read.
    static func place(_ shas: [String], from objects: ObjectStore, into store: ObjectStore) throws {
        var folders: Set<String> = []
        for sha in shas {
            let target = store.path(of: sha)
            let folder = (target as NSString).deletingLastPathComponent
            if folders.insert(folder).inserted { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            guard objects.contains(sha) else { throw LedgerError.objectMissing(sha) }
            let source = objects.path(of: sha)
            if link(source, target) == 0 { continue }
            guard [EXDEV, EPERM, EMLINK, EOPNOTSUPP].contains(errno) else { throw DurableFile.posixError("link \(source) to \(target)") }
            try DurableFile.write(objects.read(sha), to: target, syncFolder: false)
        }
        for folder in folders { try DurableFile.syncFolder(folder) }
    }

    /// Every object in `shas` is in the job's `store` and hashes to its name; read as a node's
    /// file is (`JobFile`): a link to elsewhere or an endless device counts as tampering.
    static func verify(_ shas: some Sequence<String>, in store: ObjectStore) throws {
        for sha in shas {
            let bytes: [UInt8]
            do {
                bytes = try JobFile.contents(store.path(of: sha), limit: JobFile.objectLimit)
            } catch JobFileError.missing {
                throw TrainingJobError.missingObject(sha)
            }
            let actual = ObjectStore.sha256(bytes)
            guard actual == sha else { throw TrainingJobError.tamperedObject(sha, actual: actual) }
        }
    }
}
