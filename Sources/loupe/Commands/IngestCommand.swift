import ArgumentParser
import LoupeLab

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest image files, or corrected masks with --corrections.",
        discussion: """
            Files in the lab's inbox/ (corrections/ with --corrections) are moved, as the daemon moves dropped files: \
            accepted ones into objects/, refused ones into rejected/ with NAME.reason.txt. Files from anywhere else are \
            copied and stay where they are. Folders, symbolic links, missing paths and paths into the lab's own state are \
            refused with no event. Exits 1 if any file was not taken.
            """
    )

    @OptionGroup var options: LabOptions

    @Flag(help: "The files are corrected masks, matched to images by name stem or SHA prefix.")
    var corrections = false

    @Option(help: "With --corrections: the image (name, stem or SHA prefix) every given mask belongs to.")
    var image: String?

    @Argument(help: "Files to ingest.")
    var files: [String]

    func validate() throws {
        if image != nil && !corrections { throw ValidationError("--image only applies with --corrections") }
    }

    func run() throws {
        let workspace = try options.open()
        var refused = 0
        for file in files {
            let outcome: IntakeOutcome
            do {
                outcome = corrections
                    ? try workspace.ingestCorrection(at: file, explicitImage: image)
                    : try workspace.ingestImage(at: file)
            } catch let error as GivenPathError {
                refused += 1
                printError("\(error)")
                continue
            }
            if outcome.isRejected {
                refused += 1
                printError("\(EventRow.printable(file)): \(outcome)")
            } else {
                print("\(EventRow.printable(file)): \(outcome)")
            }
        }
        if refused > 0 { throw ExitCode(1) }
    }
}
