import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The few HTTP calls the benchmarks make, timed by the caller.
struct HTTPClient {
    let base: String

    @discardableResult
    func call(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 120
        if let body { request.httpBody = Data(body) }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func json(_ path: String) async throws -> [String: Any] {
        let (_, body) = try await call("GET", path)
        return (try JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }
}

/// Percentiles of a sample of durations, in milliseconds.
struct Latencies {
    private(set) var milliseconds: [Double] = []

    init(milliseconds: [Double] = []) {
        self.milliseconds = milliseconds
    }

    mutating func add(_ duration: Duration) {
        milliseconds.append(Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }

    func percentile(_ p: Double) -> Double {
        let sorted = milliseconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)]
    }

    var count: Int { milliseconds.count }
}
