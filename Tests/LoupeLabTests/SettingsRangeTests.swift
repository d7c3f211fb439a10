import Foundation
import Testing
@testable import LoupeLab

/// Values that once crashed the daemon on every start (SIGILL converting 1e300 seconds to
/// milliseconds) are refused when loupe.json is read, naming the key and its range.
@Suite struct SettingsRangeTests {
    @Test(arguments: [
        (#"{"watch": {"rescanSeconds": 1e300}}"#, "watch.rescanSeconds must be between 0.05 and 3600.0"),
        (#"{"retrain": {"quietSeconds": 1e300}}"#, "retrain.quietSeconds must be between 0.0 and 86400.0"),
        (#"{"maxImageDimension": 1600000000}"#, "maxImageDimension must be between 1 and 65536"),
        (#"{"maxImageDimension": 0}"#, "maxImageDimension must be between 1 and 65536"),
        (#"{"maxImagePixels": 0}"#, "maxImagePixels must be between 1 and 1000000000"),
        (#"{"maxImagePixels": 2000000000}"#, "maxImagePixels must be between 1 and 1000000000"),
        (#"{"watch": {"settleMilliseconds": -1}}"#, "watch.settleMilliseconds must be between 0 and 600000"),
        (#"{"retrain": {"minNewCorrections": 0}}"#, "retrain.minNewCorrections must be between 1 and 100000"),
        (#"{"retrain": {"validationEvery": 1}}"#, "retrain.validationEvery must be between 2 and 1000"),
        (#"{"retrain": {"minValidationDice": 1.5}}"#, "retrain.minValidationDice must be between 0.0 and 1.0"),
        (#"{"retrain": {"minValidationDice": -0.1}}"#, "retrain.minValidationDice must be between 0.0 and 1.0"),
        (#"{"retrain": {"coldStartFactor": 0}}"#, "retrain.coldStartFactor must be between 1 and 100"),
        (#"{"retrain": {"coldStartFactor": 9223372036854775807}}"#, "retrain.coldStartFactor must be between 1 and 100"),
        (#"{"server": {"maxJSONBytes": 10}}"#, "server.maxJSONBytes must be between 1024"),
        (#"{"server": {"maxEventStreams": 0}}"#, "server.maxEventStreams must be between 1 and 10000"),
        (#"{"server": {"maxPendingPredictions": 0}}"#, "server.maxPendingPredictions must be between 1 and 10000"),
        (#"{"server": {"allowedHosts": ["http://x"]}}"#, "server.allowedHosts holds 'http://x'"),
        (#"{"server": {"allowedOrigins": ["evil.example"]}}"#, "server.allowedOrigins holds 'evil.example'"),
        (#"{"labelStudio": {"url": "ftp://ls"}}"#, "labelStudio.url 'ftp://ls' is not an http(s) address"),
        (#"{"labelStudio": {"maxTasksPerRequest": 0}}"#, "labelStudio.maxTasksPerRequest must be between 1 and 1000"),
        (#"{"labelStudio": {"downloadSeconds": 1e300}}"#, "labelStudio.downloadSeconds must be between 1.0 and 3600.0"),
    ])
    func absurdValuesAreRefusedByKey(_ json: String, _ message: String) throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/loupe.json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: SettingsError.self) { try Settings.load(from: path) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
    }

    @Test func theEdgesOfEachRangeAreAccepted() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/loupe.json"
        try Data(#"{"maxImageDimension": 65536, "watch": {"rescanSeconds": 0.05, "settleMilliseconds": 0}, "retrain": {"quietSeconds": 0, "minValidationDice": 1, "coldStartFactor": 100}}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let settings = try Settings.load(from: path)
        #expect(settings.maxImageDimension == 65536)
        #expect(settings.watch.rescanSeconds == 0.05)
        #expect(settings.retrain.minValidationDice == 1)
        #expect(settings.retrain.coldStartFactor == 100)
        #expect(Settings().retrain.minValidationDice == 0.2)
    }

    @Test func aTrainingObjectWithoutABudgetKeepsTheLabsFiveMinutes() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/loupe.json"
        try Data(#"{"training": {"seed": 2}}"#.utf8).write(to: URL(fileURLWithPath: path))
        let settings = try Settings.load(from: path)
        #expect(settings.training.budget == Settings().training.budget && settings.training.seed == 2)
        try Data(#"{"training": {"epochs": 3}}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try Settings.load(from: path).training.budget == .epochs(3))
    }
}
