import LoupeVision

/// `executor` in loupe.json: where trainings and prediction sweeps run. A lab without the key
/// runs them in the daemon's process, as every lab did before executors existed.
///
///     "executor": {"kind": "slurm", "binary": "/shared/bin/loupe", "jobDirectory": "/shared/loupe-jobs"}
package enum ExecutorSettings: Codable, Sendable, Equatable {
    case local
    case slurm(SlurmExecutorSettings)

    package enum Kind: String, Sendable, CaseIterable {
        case local, slurm
    }

    enum KindKey: String, CodingKey, CaseIterable {
        case kind
    }

    package init(from decoder: Decoder) throws {
        let text = try decoder.container(keyedBy: KindKey.self).decodeIfPresent(String.self, forKey: .kind) ?? Kind.local.rawValue
        guard let kind = Kind(rawValue: text) else {
            throw SettingsError("executor.kind '\(text)' is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch kind {
        case .local:
            try Self.refuseSlurmKeys(in: decoder)
            try UnknownKeys.refuse(in: decoder, allowed: KindKey.self, context: "executor")
            self = .local
        case .slurm:
            self = .slurm(try SlurmExecutorSettings(from: decoder))
        }
    }

    package func encode(to encoder: Encoder) throws {
        switch self {
        case .local:
            var container = encoder.container(keyedBy: KindKey.self)
            try container.encode(Kind.local.rawValue, forKey: .kind)
        case .slurm(let slurm):
            try slurm.encode(to: encoder)
        }
    }

    /// A Slurm key beside kind local is a half-finished switch to Slurm: saying so beats calling
    /// the key unknown.
    private static func refuseSlurmKeys(in decoder: Decoder) throws {
        let present = try decoder.container(keyedBy: UnknownKeys.AnyKey.self).allKeys.map(\.stringValue)
        let slurmOnly = Set(SlurmExecutorSettings.CodingKeys.allCases.map(\.stringValue)).subtracting([KindKey.kind.stringValue])
        if let key = present.filter(slurmOnly.contains).sorted().first {
            throw SettingsError("executor.\(key) applies only with executor.kind slurm")
        }
    }
}
