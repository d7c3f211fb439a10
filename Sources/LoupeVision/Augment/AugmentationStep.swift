/// One step of the augmentation pipeline, as written in the `augment` list of loupe.json:
///
/// ```json
/// {"type": "crop", "size": 128, "count": 44}
/// {"type": "flip", "horizontal": 0.5, "vertical": 0.5}
/// {"type": "rotate90", "probability": 0.5}
/// {"type": "jitter", "brightness": 0.1, "contrast": 0.1, "gamma": 0.1}
/// ```
public enum AugmentationStep: Equatable, Sendable {
    /// Mirrors left-right and/or top-bottom, each with its own probability.
    case flip(horizontal: Double, vertical: Double)
    /// Turns by a random multiple of 90 degrees with the given probability (square crops only).
    case rotate90(probability: Double)
    /// Replaces each sample with `count` random `size` x `size` crops.
    case crop(size: Int, count: Int)
    /// Random intensity changes on the [0, 1] input: x + b, (x - 0.5) * c + 0.5, x ^ g, with
    /// b in [-brightness, brightness], c in [1 - contrast, 1 + contrast], ln g in [-gamma, gamma].
    case jitter(brightness: Double, contrast: Double, gamma: Double)
}

extension AugmentationStep: Codable {
    private enum Kind: String, CaseIterable { case flip, rotate90, crop, jitter }

    private enum Keys: String, CodingKey, CaseIterable {
        case type, horizontal, vertical, probability, size, count, brightness, contrast, gamma
    }

    private static func allowed(_ kind: Kind) -> Set<String> {
        switch kind {
        case .flip: ["type", "horizontal", "vertical"]
        case .rotate90: ["type", "probability"]
        case .crop: ["type", "size", "count"]
        case .jitter: ["type", "brightness", "contrast", "gamma"]
        }
    }

    public init(from decoder: any Decoder) throws {
        let anyKeys = try decoder.container(keyedBy: UnknownKeys.AnyKey.self)
        guard let typeKey = anyKeys.allKeys.first(where: { $0.stringValue == "type" }) else {
            throw SettingsError("augment: every step needs a \"type\" (one of flip, rotate90, crop, jitter)")
        }
        let name = try anyKeys.decode(String.self, forKey: typeKey)
        guard let kind = Kind(rawValue: name) else {
            throw SettingsError("augment: unknown step type '\(name)' (allowed: flip, rotate90, crop, jitter)")
        }
        let allowed = Self.allowed(kind)
        try UnknownKeys.refuse(in: decoder, allowedNames: Set(allowed), context: "augment \(name)")
        let values = try decoder.container(keyedBy: Keys.self)
        func probability(_ key: Keys, default value: Double) throws -> Double {
            let p = try values.decodeIfPresent(Double.self, forKey: key) ?? value
            guard (0...1).contains(p) else {
                throw SettingsError("augment \(name): '\(key.stringValue)' must be a probability in [0, 1], got \(p)")
            }
            return p
        }
        func amount(_ key: Keys) throws -> Double {
            let a = try values.decodeIfPresent(Double.self, forKey: key) ?? 0
            guard (0..<1).contains(a) else {
                throw SettingsError("augment \(name): '\(key.stringValue)' must be in [0, 1), got \(a)")
            }
            return a
        }
        switch kind {
        case .flip:
            self = .flip(horizontal: try probability(.horizontal, default: 0.5),
                         vertical: try probability(.vertical, default: 0.5))
        case .rotate90:
            self = .rotate90(probability: try probability(.probability, default: 0.5))
        case .crop:
            let size = try values.decodeIfPresent(Int.self, forKey: .size) ?? 128
            let count = try values.decodeIfPresent(Int.self, forKey: .count) ?? 1
            guard (8...4096).contains(size) else {
                throw SettingsError("augment crop: 'size' must be between 8 and 4096, got \(size)")
            }
            guard (1...10_000).contains(count) else {
                throw SettingsError("augment crop: 'count' must be between 1 and 10000, got \(count)")
            }
            self = .crop(size: size, count: count)
        case .jitter:
            self = .jitter(brightness: try amount(.brightness), contrast: try amount(.contrast),
                           gamma: try amount(.gamma))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: Keys.self)
        switch self {
        case .flip(let horizontal, let vertical):
            try values.encode("flip", forKey: .type)
            try values.encode(horizontal, forKey: .horizontal)
            try values.encode(vertical, forKey: .vertical)
        case .rotate90(let probability):
            try values.encode("rotate90", forKey: .type)
            try values.encode(probability, forKey: .probability)
        case .crop(let size, let count):
            try values.encode("crop", forKey: .type)
            try values.encode(size, forKey: .size)
            try values.encode(count, forKey: .count)
        case .jitter(let brightness, let contrast, let gamma):
            try values.encode("jitter", forKey: .type)
            try values.encode(brightness, forKey: .brightness)
            try values.encode(contrast, forKey: .contrast)
            try values.encode(gamma, forKey: .gamma)
        }
    }
}
