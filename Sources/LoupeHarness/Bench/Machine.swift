import Foundation

/// What a benchmark prints beside its figures: this project runs on Intel and AMD machines,
/// and a figure means little without the CPU it came from.
package enum Machine {
    package static var cpuModel: String {
        let lines = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n")
        let name = lines.first { $0.hasPrefix("model name") }?.split(separator: ":", maxSplits: 1).last
        let cores = lines.filter { $0.hasPrefix("processor") }.count
        return "\(name?.trimmingCharacters(in: .whitespaces) ?? "unknown"), \(cores) cores"
    }
}
