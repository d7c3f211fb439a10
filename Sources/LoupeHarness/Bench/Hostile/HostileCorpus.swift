import Foundation
import LoupeLab
import LoupeVision

/// The corpus of issue 9: each case drops its files into a lab with a running daemon and says
/// whether the lab did what it should.
enum HostileCorpus {
    static let all: [HostileCase] = [
        resavedMasks, stalledWriter, sameImageTwoNames, specialEntries, longName, controlCharacters,
        namesDifferingInCase, headerBombs, gzipBomb, hugePPM, ingestHostilePaths, absurdSettings,
    ]

    /// Item 1: a mask re-saved 5-10 ms after its first save, the first save taken at once.
    static let resavedMasks = HostileCase(name: "20 masks re-saved 5-10 ms after the first save") { context in
        let start = try context.daemon.workspace().headSeq()
        var images: [DroppedFile] = []
        for index in 0..<20 { images.append(try context.drop(try HostileContext.image(seed: 100 + index), as: "re\(index).png", into: "inbox", aged: true)) }
        try context.waitUntilTaken(images)
        var finals: [DroppedFile] = []
        for index in 0..<20 {
            try context.drop(try HostileContext.mask(seed: index), as: "re\(index).png", into: "corrections", aged: true)
            usleep(useconds_t(5_000 + (index % 6) * 1_000))
            finals.append(try context.drop(try HostileContext.mask(seed: index + 50), as: "re\(index).png", into: "corrections", aged: true))
        }
        try context.waitUntilTaken(finals)
        let accepted = Set(try context.decoded(.correctionAccepted, after: start).compactMap { event -> [String]? in
            if case .correctionAccepted(let e) = event { return [e.originalName, e.source] }
            return nil
        })
        let taken = finals.filter { accepted.contains([$0.name, $0.sha ?? ""]) }.count
        return .init(files: images + finals, outcome: "\(taken) of 20 last saves accepted; " + (try context.summary(after: start)), asExpected: taken == 20)
    }

    /// Item 2: 200 KB written, a 3 s pause, then the rest.
    static let stalledWriter = HostileCase(name: "writer pauses 3 s after 200 KB") { context in
        let start = try context.daemon.workspace().headSeq()
        var generator = SeededGenerator(seed: 3)
        let side = 400
        let noise = RasterImage(width: side, height: side, channels: 3, pixels: (0..<side * side * 3).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let bytes = try ImageCodec.encodePNG(noise)
        let path = "\(context.lab)/inbox/stalled.png"
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw HarnessError("cannot write \(path)") }
        handle.write(Data(bytes.prefix(200_000)))
        Thread.sleep(forTimeInterval: 3)
        handle.write(Data(bytes.dropFirst(200_000)))
        try handle.close()
        let file = DroppedFile(folder: "inbox", name: "stalled.png", sha: DropAccount.sha256(bytes))
        try context.waitUntilTaken([file])
        let ingested = try context.decoded(.imageIngested, after: start).contains {
            if case .imageIngested(let e) = $0 { return e.image == file.sha }
            return false
        }
        return .init(files: [file], outcome: try context.summary(after: start), asExpected: ingested)
    }

    /// Item 3: the same bytes under a second name, and a correction named after that name.
    static let sameImageTwoNames = HostileCase(name: "same image under two names, corrected by the second") { context in
        let start = try context.daemon.workspace().headSeq()
        let bytes = try HostileContext.image(seed: 7)
        let first = try context.drop(bytes, as: "twin-a.png", into: "inbox", aged: true)
        try context.waitUntilTaken([first])
        let second = try context.drop(bytes, as: "twin-b.png", into: "inbox", aged: true)
        try context.waitUntilTaken([second])
        let mask = try context.drop(try HostileContext.mask(seed: 7), as: "twin-b.ah.png", into: "corrections", aged: true)
        try context.waitUntilTaken([mask])
        let ok = try context.count(.imageNamed, after: start) == 1 && context.count(.correctionAccepted, after: start) == 1
        return .init(files: [first, second, mask], outcome: try context.summary(after: start), asExpected: ok)
    }

    /// Item 5: entries that are not files, and a name that is not UTF-8.
    static let specialEntries = HostileCase(name: "folder, symlink, FIFO and non-UTF-8 name in inbox/") { context in
        let start = try context.daemon.workspace().headSeq()
        let inbox = "\(context.lab)/inbox"
        try FileManager.default.createDirectory(atPath: "\(inbox)/a-folder", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(inbox)/link.png", withDestinationPath: "/etc/passwd")
        guard mkfifo("\(inbox)/pipe.png", 0o644) == 0 else { throw HarnessError("mkfifo failed") }
        let raw = Array(inbox.utf8) + Array("/bad".utf8) + [0xFF] + Array(".png".utf8) + [0]
        let fd = raw.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        close(fd)
        let files = ["a-folder", "link.png", "pipe.png", "bad\\xff.png"].map { DroppedFile(folder: "inbox", name: $0, sha: nil) }
        try context.waitUntilTaken(Array(files.prefix(3)))
        let deadline = Date().addingTimeInterval(30)
        while try context.count(.imageRejected, after: start) < 4, Date() < deadline { usleep(100_000) }
        return .init(files: files, outcome: try context.summary(after: start), asExpected: try context.count(.imageRejected, after: start) == 4)
    }

    /// Item 5: a 251-byte name, once ingested but never predicted.
    static let longName = HostileCase(name: "251-byte file name") { context in
        let start = try context.daemon.workspace().headSeq()
        let file = try context.drop(try HostileContext.image(seed: 11), as: String(repeating: "n", count: 247) + ".png", into: "inbox", aged: true)
        try context.waitUntilTaken([file])
        return .init(files: [file], outcome: try context.summary(after: start), asExpected: try context.count(.imageIngested, after: start) == 1)
    }

    /// Item 9: a name that forges a log line and colours the terminal.
    static let controlCharacters = HostileCase(name: "escape sequence and newline in a name") { context in
        let start = try context.daemon.workspace().headSeq()
        let file = try context.drop(try HostileContext.image(seed: 12), as: "x\u{1b}[31m\n   999  ModelPromoted.png", into: "inbox", aged: true)
        try context.waitUntilTaken([file])
        let log = try context.loupe(["log", "--lab", context.lab, "--after", "\(start)"]).output
        let clean = !log.contains("\u{1b}") && !log.contains("\n   999")
        return .init(files: [file], outcome: try context.summary(after: start) + (clean ? "; log escaped" : "; LOG FORGED"), asExpected: clean)
    }

    /// Item 10: two names that differ only in case.
    static let namesDifferingInCase = HostileCase(name: "IM0001.png and im0001.png") { context in
        let start = try context.daemon.workspace().headSeq()
        let files = [
            try context.drop(try HostileContext.image(seed: 13), as: "CASE01.png", into: "inbox", aged: true),
            try context.drop(try HostileContext.image(seed: 14), as: "case01.png", into: "inbox", aged: true),
        ]
        try context.waitUntilTaken(files)
        return .init(files: files, outcome: try context.summary(after: start), asExpected: try context.count(.imageIngested, after: start) == 2)
    }

    /// Item 7: 16 tiny PNGs whose headers claim 16384x16384 16-bit RGB.
    static let headerBombs = HostileCase(name: "16 PNG headers claiming 16384x16384 16-bit") { context in
        let start = try context.daemon.workspace().headSeq()
        let files = try (0..<16).map { index in
            try context.drop(PNGHeaderBomb.bytes(side: 16384, variant: index), as: "bomb\(index).png", into: "inbox", aged: true)
        }
        try context.waitUntilTaken(files)
        return .init(files: files, outcome: try context.summary(after: start), asExpected: try context.count(.imageRejected, after: start) == 16)
    }

    /// Item 7: a gzip stream that inflates to a gigabyte of zeros.
    static let gzipBomb = HostileCase(name: "gzip bomb (1 GiB of zeros)") { context in
        let start = try context.daemon.workspace().headSeq()
        let file = try context.drop(try GzipBomb.bytes(inflatedMiB: 1024), as: "bomb.ppm.gz", into: "inbox", aged: true)
        try context.waitUntilTaken([file])
        return .init(files: [file], outcome: try context.summary(after: start), asExpected: try context.count(.imageRejected, after: start) == 1)
    }

    /// Item 7: a small file of a 16384x16384 image, over the pixel budget.
    static let hugePPM = HostileCase(name: "16384x16384 PPM in 800 KB of gzip") { context in
        let start = try context.daemon.workspace().headSeq()
        let file = try context.drop(try GzipBomb.ppm(side: 16384), as: "huge.ppm.gz", into: "inbox", aged: true)
        try context.waitUntilTaken([file])
        return .init(files: [file], outcome: try context.summary(after: start), asExpected: try context.count(.imageRejected, after: start) == 1)
    }

    /// Item 6: `loupe ingest` given the lab's own state, a folder, a link and a missing path.
    static let ingestHostilePaths = HostileCase(name: "loupe ingest of loupe.sqlite, objects/, a folder, a link, a missing path") { context in
        let start = try context.daemon.workspace().headSeq()
        try FileManager.default.createSymbolicLink(atPath: "\(context.scratch)/link.png", withDestinationPath: "\(context.lab)/loupe.json")
        let paths = ["\(context.lab)/loupe.sqlite", "\(context.lab)/loupe.json", "\(context.lab)/objects", context.scratch,
                     "\(context.scratch)/link.png", "\(context.scratch)/missing.png"]
        let refused = try paths.filter { try context.loupe(["ingest", "--lab", context.lab, $0]).status != 0 }.count
        let untouched = FileManager.default.fileExists(atPath: "\(context.lab)/loupe.sqlite") && FileManager.default.fileExists(atPath: "\(context.lab)/loupe.json")
        let events = try context.events(after: start).count
        return .init(files: [], outcome: "\(refused) of \(paths.count) refused, \(events) events", asExpected: refused == paths.count && events == 0 && untouched)
    }

    /// Item 8: settings that made the daemon trap on every start.
    static let absurdSettings = HostileCase(name: "settings 1e300 s and 1.6e9 px") { context in
        let scratchLab = "\(context.scratch)/settings-lab"
        try Workspace.initialize(at: scratchLab)
        var refused = 0
        for json in [#"{"watch": {"rescanSeconds": 1e300}}"#, #"{"retrain": {"quietSeconds": 1e300}}"#, #"{"maxImageDimension": 1600000000}"#] {
            try Data(json.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: scratchLab)))
            let (status, output) = try context.loupe(["run", "--lab", scratchLab, "--no-http"])
            if status == 1, output.contains("must be between") { refused += 1 }
        }
        return .init(files: [], outcome: "\(refused) of 3 refused at start naming the key", asExpected: refused == 3)
    }
}
