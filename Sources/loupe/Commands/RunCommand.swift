import ArgumentParser
import LoupeDaemon
import LoupeServer
import Logging

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: ingest, predict, retrain and re-predict until SIGINT or SIGTERM; serve the API and the page.",
        discussion: """
        Serves HTTP on 127.0.0.1:8417 unless --no-http: the correction page at /, the API under /api/v1. \
        A second signal exits at once. Logs one line per event on stderr.
        """
    )

    @OptionGroup var options: LabOptions

    @Flag(help: "Log one JSON object per line.")
    var jsonLogs = false

    @Option(help: "Serve HTTP on HOST:PORT (port 0 picks a free one). Any address but loopback requires annotator tokens.")
    var listen = ServerAddress().description

    @Flag(help: "Serve no HTTP: folders only.")
    var noHttp = false

    func validate() throws {
        do { _ = try ServerAddress(parsing: listen) } catch {
            throw ValidationError("--listen \(error)")
        }
    }

    func run() throws {
        let json = jsonLogs
        LoggingSystem.bootstrap { label in
            json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
        let logger = Logger(label: "loupe")
        let daemon = try Daemon(lab: options.lab, logger: logger)
        if !noHttp {
            let server = try LabServer(
                lab: daemon.lab, address: try ServerAddress(parsing: listen), mailbox: daemon.mailbox, live: daemon.live,
                logger: Logger(label: "loupe.http")
            )
            daemon.url = try server.start()
            logger.info("serving the correction page at \(daemon.url ?? "")")
        }
        try daemon.run()
    }
}
