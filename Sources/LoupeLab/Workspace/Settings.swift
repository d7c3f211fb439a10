import Foundation
import LoupeVision

/// `loupe.json`: what a lab may tune. Every key is optional in the file; a missing key takes
/// its default and an unknown key is refused, so a typo never silently does nothing.
package struct Settings: Codable, Sendable, Equatable {
    package var maxImageDimension = 16384
    /// Width times height; checked against each file's header before its pixels are allocated.
    package var maxImagePixels = 100_000_000
    package var queueStrategy = QueueStrategy.uncertainty
    package var retrain = RetrainPolicy()
    package var watch = WatchSettings()
    package var writeProbabilityMaps = false
    package var model = ModelConfig()
    /// The daemon trains for a wall-clock budget; the epochs it reached are recorded, so
    /// `loupe reproduce` can train the same weights again.
    package var training = TrainingConfig(budget: .minutes(5))
    package var server = ServerSettings()
    package var corrections = CorrectionSettings()
    package var labelStudio = LabelStudioSettings()
    package var executor = ExecutorSettings.local

    package init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case maxImageDimension, maxImagePixels, queueStrategy, retrain, watch, writeProbabilityMaps, model, training, server, corrections, labelStudio, executor
    }

    package init(from decoder: Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "settings")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxImageDimension = try container.decodeIfPresent(Int.self, forKey: .maxImageDimension) ?? maxImageDimension
        maxImagePixels = try container.decodeIfPresent(Int.self, forKey: .maxImagePixels) ?? maxImagePixels
        queueStrategy = try container.decodeIfPresent(QueueStrategy.self, forKey: .queueStrategy) ?? queueStrategy
        retrain = try container.decodeIfPresent(RetrainPolicy.self, forKey: .retrain) ?? retrain
        watch = try container.decodeIfPresent(WatchSettings.self, forKey: .watch) ?? watch
        writeProbabilityMaps = try container.decodeIfPresent(Bool.self, forKey: .writeProbabilityMaps) ?? writeProbabilityMaps
        model = try container.decodeIfPresent(ModelConfig.self, forKey: .model) ?? model
        if var given = try container.decodeIfPresent(TrainingConfig.self, forKey: .training) {
            // A `training` object without a budget keeps the lab's (5 minutes), not the model
            // library's default of 50 epochs: writing only a seed must not change how long a run takes.
            let keys = try container.nestedContainer(keyedBy: UnknownKeys.AnyKey.self, forKey: .training).allKeys.map(\.stringValue)
            if !keys.contains("epochs") && !keys.contains("minutes") { given.budget = training.budget }
            training = given
        }
        server = try container.decodeIfPresent(ServerSettings.self, forKey: .server) ?? server
        corrections = try container.decodeIfPresent(CorrectionSettings.self, forKey: .corrections) ?? corrections
        labelStudio = try container.decodeIfPresent(LabelStudioSettings.self, forKey: .labelStudio) ?? labelStudio
        executor = try container.decodeIfPresent(ExecutorSettings.self, forKey: .executor) ?? executor
        try Self.check(maxImageDimension, within: 1...65536, "maxImageDimension")
        try Self.check(maxImagePixels, within: 1...1_000_000_000, "maxImagePixels")
    }

    /// The most bytes an image upload or download may take: four a pixel is more than any
    /// accepted format needs for the largest image allowed. One limit for every door.
    package var uploadLimit: Int { min(maxImagePixels * 4 + (1 << 20), 1 << 31) }

    /// DaemonStarted records the SHA-256 of this encoding: the local executor is written as no
    /// key, so a lab from before executors existed keeps its settings hash.
    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxImageDimension, forKey: .maxImageDimension)
        try container.encode(maxImagePixels, forKey: .maxImagePixels)
        try container.encode(queueStrategy, forKey: .queueStrategy)
        try container.encode(retrain, forKey: .retrain)
        try container.encode(watch, forKey: .watch)
        try container.encode(writeProbabilityMaps, forKey: .writeProbabilityMaps)
        try container.encode(model, forKey: .model)
        try container.encode(training, forKey: .training)
        try container.encode(server, forKey: .server)
        try container.encode(corrections, forKey: .corrections)
        if labelStudio != LabelStudioSettings() { try container.encode(labelStudio, forKey: .labelStudio) }
        if executor != .local { try container.encode(executor, forKey: .executor) }
    }

    /// Reads `loupe.json`; throws `SettingsError` naming the file and what is wrong with it.
    package static func load(from path: String) throws -> Settings {
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingsError("cannot read settings at \(path)") }
        do {
            return try UnknownKeys.decodeNamingAllUnknownKeys(Settings.self, from: data)
        } catch let error as SettingsError {
            throw SettingsError("invalid settings in \(path): \(error.description)")
        } catch {
            throw SettingsError("invalid settings in \(path): \(Self.describe(error))")
        }
    }

    package func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Refuses a value outside the range the daemon can turn into timers and buffers (1e300
    /// seconds would trap converting to milliseconds), naming the key and the range. NaN is
    /// outside every range.
    static func check<Value: Comparable>(_ value: Value, within range: ClosedRange<Value>, _ key: String) throws {
        guard range.contains(value) else {
            throw SettingsError("\(key) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }

    /// A decoding error in words: the path to the field and what was wrong there.
    package static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

package enum QueueStrategy: Codable, Sendable, Equatable {
    case uncertainty
    case fifo
    case random(seed: UInt64)

    package init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let strategy = QueueStrategy(text) else {
            throw SettingsError("queueStrategy '\(text)' is not one of uncertainty, fifo, random, random:SEED")
        }
        self = strategy
    }

    package init?(_ text: String) {
        switch text {
        case "uncertainty": self = .uncertainty
        case "fifo": self = .fifo
        case "random": self = .random(seed: 0)
        default:
            guard text.hasPrefix("random:"), let seed = UInt64(text.dropFirst("random:".count)) else { return nil }
            self = .random(seed: seed)
        }
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    package var description: String {
        switch self {
        case .uncertainty: "uncertainty"
        case .fifo: "fifo"
        case .random(let seed): "random:\(seed)"
        }
    }
}

/// When the daemon retrains: `minNewCorrections` since the last training started, then
/// `quietSeconds` without a new one. Every `validationEvery`-th correction is held back.
/// A model serves only if its Dice on the held-back corrections reaches `minValidationDice`
/// and it predicts some vessel there.
package struct RetrainPolicy: Codable, Sendable, Equatable {
    package var minNewCorrections = 2
    package var quietSeconds = 10.0
    package var validationEvery = 5
    package var warmStart = true
    package var minValidationDice = 0.2
    /// A training from random weights (the lab's first, or any with `warmStart` off) runs this
    /// many times the configured budget: a warm-started one starts from a model that already
    /// knows vessels, a cold one does not.
    package var coldStartFactor = 1
    /// After a training fails, the same corrections are trained on again this long after the
    /// failure, twice as long after a second one (`FailedTrainingRetry`).
    package var retryFailedSeconds = 300.0
    /// A new model replaces the current one unless its Dice on the held-back corrections is
    /// lower by more than this: it learnt from more corrections, and one to three held-back
    /// images cannot tell a difference smaller than this from chance.
    package var promotionMargin = 0.01

    package init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case minNewCorrections, quietSeconds, validationEvery, warmStart, minValidationDice, coldStartFactor, retryFailedSeconds
        case promotionMargin
    }

    package init(from decoder: Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "retrain")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        minNewCorrections = try container.decodeIfPresent(Int.self, forKey: .minNewCorrections) ?? minNewCorrections
        quietSeconds = try container.decodeIfPresent(Double.self, forKey: .quietSeconds) ?? quietSeconds
        validationEvery = try container.decodeIfPresent(Int.self, forKey: .validationEvery) ?? validationEvery
        warmStart = try container.decodeIfPresent(Bool.self, forKey: .warmStart) ?? warmStart
        minValidationDice = try container.decodeIfPresent(Double.self, forKey: .minValidationDice) ?? minValidationDice
        coldStartFactor = try container.decodeIfPresent(Int.self, forKey: .coldStartFactor) ?? coldStartFactor
        retryFailedSeconds = try container.decodeIfPresent(Double.self, forKey: .retryFailedSeconds) ?? retryFailedSeconds
        promotionMargin = try container.decodeIfPresent(Double.self, forKey: .promotionMargin) ?? promotionMargin
        try Settings.check(minNewCorrections, within: 1...100_000, "retrain.minNewCorrections")
        try Settings.check(quietSeconds, within: 0...86_400, "retrain.quietSeconds")
        try Settings.check(validationEvery, within: 2...1000, "retrain.validationEvery")
        try Settings.check(minValidationDice, within: 0...1, "retrain.minValidationDice")
        try Settings.check(coldStartFactor, within: 1...100, "retrain.coldStartFactor")
        try Settings.check(retryFailedSeconds, within: 0...86_400, "retrain.retryFailedSeconds")
        try Settings.check(promotionMargin, within: 0...1, "retrain.promotionMargin")
    }
}

package struct WatchSettings: Codable, Sendable, Equatable {
    package var rescanSeconds = 2.0
    package var settleMilliseconds = 500
    /// A file that stops early (a PNG without IEND, a short PNM, a gzip without its trailer) is
    /// waited for while it changed less than this long ago, then refused as truncated.
    package var incompleteGraceSeconds = 60.0

    package init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case rescanSeconds, settleMilliseconds, incompleteGraceSeconds
    }

    package init(from decoder: Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "watch")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rescanSeconds = try container.decodeIfPresent(Double.self, forKey: .rescanSeconds) ?? rescanSeconds
        settleMilliseconds = try container.decodeIfPresent(Int.self, forKey: .settleMilliseconds) ?? settleMilliseconds
        try Settings.check(rescanSeconds, within: 0.05...3600, "watch.rescanSeconds")
        try Settings.check(settleMilliseconds, within: 0...600_000, "watch.settleMilliseconds")
        incompleteGraceSeconds = try container.decodeIfPresent(Double.self, forKey: .incompleteGraceSeconds) ?? incompleteGraceSeconds
        try Settings.check(incompleteGraceSeconds, within: 0...86_400, "watch.incompleteGraceSeconds")
    }
}

/// The lab's settings refuse values the way the model's do, with the same error.
package typealias SettingsError = LoupeVision.SettingsError
