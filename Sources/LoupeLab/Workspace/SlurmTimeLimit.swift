import LoupeVision

/// `executor.timeLimit`, in Slurm's own `--time` forms so a cluster's users can copy it from
/// their scripts: `MINUTES`, `MINUTES:SECONDS`, `HOURS:MINUTES:SECONDS`, `DAYS-HOURS`,
/// `DAYS-HOURS:MINUTES` or `DAYS-HOURS:MINUTES:SECONDS`. Written back as `[DAYS-]HOURS:MM:SS`.
package struct SlurmTimeLimit: Codable, Sendable, Comparable, CustomStringConvertible {
    package let seconds: Int

    /// Slurm counts limits in minutes; 0 would mean no limit at all, which a job that hangs
    /// on a node must not get.
    static let shortest = SlurmTimeLimit(seconds: 60)
    static let longest = SlurmTimeLimit(seconds: 365 * 86_400)

    package init(seconds: Int) {
        self.seconds = seconds
    }

    package init?(slurm text: String) {
        var days: Int?
        var clock = Substring(text)
        if let dash = text.firstIndex(of: "-") {
            guard let count = Self.number(text[..<dash]) else { return nil }
            days = count
            clock = text[text.index(after: dash)...]
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false).map(Self.number)
        guard fields.count <= 3, !fields.contains(nil) else { return nil }
        let values = fields.compactMap { $0 }
        if let days {
            let (hours, minutes, seconds) = (values[0], values.count > 1 ? values[1] : 0, values.count > 2 ? values[2] : 0)
            guard hours < 24, minutes < 60, seconds < 60 else { return nil }
            self.seconds = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
        } else {
            switch values.count {
            case 1: self.seconds = values[0] * 60
            case 2 where values[1] < 60: self.seconds = values[0] * 60 + values[1]
            case 3 where values[1] < 60 && values[2] < 60: self.seconds = (values[0] * 60 + values[1]) * 60 + values[2]
            default: return nil
            }
        }
    }

    package init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let limit = SlurmTimeLimit(slurm: text) else {
            throw SettingsError(
                "executor.timeLimit must be MINUTES, MINUTES:SECONDS, HOURS:MINUTES:SECONDS, DAYS-HOURS, DAYS-HOURS:MINUTES "
                    + "or DAYS-HOURS:MINUTES:SECONDS (as sbatch --time), got '\(text)'")
        }
        self = limit
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The form `sbatch --time` takes.
    package var description: String {
        let (days, rest) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let clock = "\(rest / 3600):\(Self.twoDigits(rest / 60 % 60)):\(Self.twoDigits(rest % 60))"
        return days > 0 ? "\(days)-\(clock)" : clock
    }

    package static func < (lhs: SlurmTimeLimit, rhs: SlurmTimeLimit) -> Bool {
        lhs.seconds < rhs.seconds
    }

    /// Digits only, and few enough that no product above overflows; a sign or a space is not Slurm's.
    private static func number(_ text: Substring) -> Int? {
        guard (1...7).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
