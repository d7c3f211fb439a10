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
    /// Two more input planes carry an expert's clicks ("vessel here", "no vessel here"), see
    /// `GuidanceMaps`; a guided model given no clicks reads two planes of zeros.
    public var guidance: Bool

    public init(
        channels: [Int] = [16, 32, 64], bottleneck: Int = 128,
        input: InputMode = .green, normalization: Normalization = .perImage, guidance: Bool = false
    ) {
        self.channels = channels
        self.bottleneck = bottleneck
        self.input = input
        self.normalization = normalization
        self.guidance = guidance
    }

    /// Planes the network reads: the image's, then the guidance maps'.
    public var inputChannels: Int { input.channelCount + (guidance ? GuidanceMaps.planes : 0) }

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

    private enum CodingKeys: String, CodingKey, CaseIterable { case channels, bottleneck, input, normalization, guidance }

    public init(from decoder: any Decoder) throws {
        let defaults = ModelConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "model")
        channels = try container.decodeIfPresent([Int].self, forKey: .channels) ?? defaults.channels
        bottleneck = try container.decodeIfPresent(Int.self, forKey: .bottleneck) ?? defaults.bottleneck
        input = try container.decodeIfPresent(InputMode.self, forKey: .input) ?? defaults.input
        normalization = try container.decodeIfPresent(Normalization.self, forKey: .normalization)
            ?? defaults.normalization
        guidance = try container.decodeIfPresent(Bool.self, forKey: .guidance) ?? defaults.guidance
        try validate()
    }

    /// `guidance` is written only when set, so an unguided model's file keeps the bytes, and the
    /// SHA, that a loupe from before guidance wrote.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(channels, forKey: .channels)
        try container.encode(bottleneck, forKey: .bottleneck)
        try container.encode(input, forKey: .input)
        try container.encode(normalization, forKey: .normalization)
        if guidance { try container.encode(guidance, forKey: .guidance) }
    }
}
