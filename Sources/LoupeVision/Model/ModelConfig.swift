/// Which image channels feed the network.
public enum InputMode: String, Codable, Sendable, CaseIterable {
    case gray
    /// Vessels contrast best in the green channel of a fundus photograph.
    case green
    case rgb

    public var channelCount: Int { self == .rgb ? 3 : 1 }
}

/// How input intensities are scaled before they reach the network.
public enum Normalization: String, Codable, Sendable, CaseIterable {
    /// Zero mean, unit variance over the image's field of view: fundus photographs differ
    /// widely in exposure, and per-image statistics take that out.
    case perImage = "per-image"
    /// Intensity / 255 - 0.5.
    case unit
}

/// The UNet's architecture and input handling; stored inside every model file.
///
/// ```swift
/// let tiny = ModelConfig(channels: [4, 8], bottleneck: 16)
/// ```
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Encoder widths, one per resolution level; the decoder mirrors them.
    public var channels: [Int]
    public var bottleneck: Int
    public var input: InputMode
    public var normalization: Normalization

    public init(
        channels: [Int] = [16, 32, 64], bottleneck: Int = 128,
        input: InputMode = .green, normalization: Normalization = .perImage
    ) {
        self.channels = channels
        self.bottleneck = bottleneck
        self.input = input
        self.normalization = normalization
    }

    /// Heights and widths fed to the network must be multiples of this (one 2x2 pool per level).
    public var sizeMultiple: Int { 1 << channels.count }

    public func validate() throws {
        if channels.isEmpty || channels.count > 6 {
            throw SettingsError("model: channels must list 1 to 6 levels, got \(channels.count)")
        }
        if let bad = (channels + [bottleneck]).first(where: { $0 < 1 || $0 > 1024 }) {
            throw SettingsError("model: every width must be between 1 and 1024, got \(bad)")
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case channels, bottleneck, input, normalization }

    public init(from decoder: any Decoder) throws {
        let defaults = ModelConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "model")
        channels = try container.decodeIfPresent([Int].self, forKey: .channels) ?? defaults.channels
        bottleneck = try container.decodeIfPresent(Int.self, forKey: .bottleneck) ?? defaults.bottleneck
        input = try container.decodeIfPresent(InputMode.self, forKey: .input) ?? defaults.input
        normalization = try container.decodeIfPresent(Normalization.self, forKey: .normalization)
            ?? defaults.normalization
        try validate()
    }
}
