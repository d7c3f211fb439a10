import Foundation
import Synchronization
import HTTPTypes
import Hummingbird
import LoupeDaemon
import LoupeLab

/// `GET /api/v1/events`: the ledger's events as Server-Sent Events, in seq order from where the
/// client left off (`Last-Event-ID`, or `?after=`), and the running training's progress.
///
/// Each stream polls its own read-only view of the ledger: a reader never waits on the loop,
/// and a slow client only delays itself.
final class EventStream: Sendable {
    let api: LabAPI
    /// Streams open now: each holds a connection and a reader for as long as its client stays.
    let open = Atomic<Int>(0)
    init(api: LabAPI) {
        self.api = api
    }

    static let pollInterval = Duration.milliseconds(150)
    static let keepAlive = Duration.seconds(15)
    /// Events sent per poll at most: a client resuming far back catches up in bounded steps.
    static let batch = 500

    func add(to router: Router<LabContext>) {
        router.on("api/v1/events", .get, needs: .reader) { request, _, _ in try self.stream(request) }
    }

    private func stream(_ request: Request) throws -> Response {
        let resumeAt = try Self.resumePoint(request)
        let limit = api.settings.server.maxEventStreams
        guard open.load(ordering: .relaxed) < limit else {
            throw APIError(.serviceUnavailable, "too_many_streams", "\(limit) event streams are open (server.maxEventStreams); try again later")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let api = api
        return Response(status: .ok, headers: headers, body: ResponseBody { [self] writer in
            open.add(1, ordering: .relaxed)
            defer { open.subtract(1, ordering: .relaxed) }
            var last = try resumeAt ?? api.readers.read { try $0.headSeq() }
            var lastProgress: DaemonStatus.Training?
            var quietSince = ContinuousClock.now
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            while !Task.isCancelled {
                var out: [UInt8] = []
                let rows = try api.readers.read { try $0.events(after: last, upTo: last + Self.batch) }
                for row in rows {
                    out += Array("id: \(row.seq)\nevent: \(row.type)\ndata: ".utf8) + (try EventJSON.encode(row)) + Array("\n\n".utf8)
                    last = row.seq
                }
                let training = api.live.status?.training
                if let training, training != lastProgress {
                    out += Array("event: progress\ndata: ".utf8) + (try JSONBody.encode(training)) + Array("\n\n".utf8)
                }
                lastProgress = training
                if out.isEmpty, ContinuousClock.now - quietSince > Self.keepAlive {
                    out = Array(": keepalive\n\n".utf8)
                }
                if !out.isEmpty {
                    try await writer.write(ByteBuffer(bytes: out))
                    quietSince = .now
                }
                if rows.count < Self.batch { try await Task.sleep(for: Self.pollInterval) }
            }
        })
    }

    /// The seq the client saw last: `Last-Event-ID` (what a browser's EventSource resends on
    /// reconnecting) wins over `?after=`; neither means only what happens from now on.
    static func resumePoint(_ request: Request) throws -> Int? {
        if let header = request.headers[HTTPField.Name("Last-Event-ID")!] {
            guard let seq = Int(header), seq >= 0 else { throw APIError.badRequest("Last-Event-ID must be an event seq, not '\(Query.shown(header))'") }
            return seq
        }
        if request.uri.queryParameters["after"] != nil {
            return try Query.integer(request, "after", default: 0, within: 0...Int.max)
        }
        return nil
    }
}
