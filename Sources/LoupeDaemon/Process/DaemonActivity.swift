/// What the daemon's one heavy-job slot is doing, as `daemon.json` reports it.
/// Stored in daemon.json as its description ("training run 3"), the words `status` shows.
package enum DaemonActivity: Codable, Sendable, Equatable, CustomStringConvertible {
    case idle
    case predicting(image: String)
    case training(run: Int)
    case stopping

    package var description: String {
        switch self {
        case .idle: "idle"
        case .predicting(let image): "predicting \(image.prefix(12))"
        case .training(let run): "training run \(run)"
        case .stopping: "stopping"
        }
    }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "idle": self = .idle
        case "stopping": self = .stopping
        default:
            if text.hasPrefix("predicting ") {
                self = .predicting(image: String(text.dropFirst("predicting ".count)))
            } else if text.hasPrefix("training run "), let run = Int(text.dropFirst("training run ".count)) {
                self = .training(run: run)
            } else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown activity '\(text)'"))
            }
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
