import ArgumentParser
import LoupeDaemon
import Logging

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: ingest, predict, retrain and re-predict until SIGINT or SIGTERM.",
        discussion: "A second signal exits at once. Logs one line per event on stderr."
    )

    @OptionGroup var options: LabOptions

    @Flag(help: "Log one JSON object per line.")
    var jsonLogs = false

    func run() throws {
        let json = jsonLogs
        LoggingSystem.bootstrap { label in
            json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
        let daemon = try Daemon(lab: options.lab, logger: Logger(label: "loupe"))
        try daemon.run()
    }
}
