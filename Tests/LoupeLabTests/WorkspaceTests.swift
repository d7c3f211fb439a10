import Foundation
import Testing
@testable import LoupeLab

@Suite struct WorkspaceTests {
    @Test func initCreatesTheLayoutAndIsIdempotent() throws {
        let folder = TemporaryFolder()
        let root = "\(folder.path)/lab"
        #expect(try Workspace.initialize(at: root) == true)
        for entry in Workspace.folders + [Workspace.settingsFile, Workspace.databaseFile] {
            #expect(FileManager.default.fileExists(atPath: "\(root)/\(entry)"), "\(entry)")
        }
        try Data("{\"queueStrategy\": \"fifo\"}".utf8).write(to: URL(fileURLWithPath: "\(root)/loupe.json"))
        #expect(try Workspace.initialize(at: root) == false)
        #expect(try Workspace(at: root).settings.queueStrategy == .fifo, "a second init keeps the lab's settings")
    }

    @Test func initRefusesAFolderHoldingOtherFiles() throws {
        let folder = TemporaryFolder()
        try Data("notes".utf8).write(to: URL(fileURLWithPath: "\(folder.path)/thesis.txt"))
        #expect(throws: WorkspaceError.folderNotEmpty(folder.path, ["thesis.txt"])) { try Workspace.initialize(at: folder.path) }
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/inbox"))
    }

    @Test func openingAFolderThatIsNoWorkspaceSaysHowToMakeOne() throws {
        let folder = TemporaryFolder()
        let error = #expect(throws: WorkspaceError.self) { try Workspace(at: folder.path) }
        #expect(error.map { "\($0)" }?.contains("loupe init") == true)
    }

    @Test func settingsDefaultsFillMissingKeysAndUnknownKeysAreRefused() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/loupe.json"
        try Data(#"{"retrain": {"quietSeconds": 3}}"#.utf8).write(to: URL(fileURLWithPath: path))
        let settings = try Settings.load(from: path)
        #expect(settings.retrain.quietSeconds == 3)
        #expect(settings.retrain.minNewCorrections == 2)
        #expect(settings.maxImageDimension == 16384)

        try Data(#"{"retrain": {"quietSecs": 3}, "colour": 1}"#.utf8).write(to: URL(fileURLWithPath: path))
        let unknown = #expect(throws: SettingsError.self) { try Settings.load(from: path) }
        #expect(unknown?.description.hasSuffix("unknown settings keys: colour, retrain.quietSecs") == true)

        try Data(#"{"queueStrategy": "loudest"}"#.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: SettingsError.self) { try Settings.load(from: path) }
        #expect(error.map { "\($0)" }?.contains("loudest") == true)
    }

    @Test func defaultSettingsRoundTrip() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/loupe.json"
        try Data(try Settings().encoded()).write(to: URL(fileURLWithPath: path))
        #expect(try Settings.load(from: path) == Settings())
    }
}
