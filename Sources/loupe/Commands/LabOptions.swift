import ArgumentParser
import LoupeLab

struct LabOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace folder.")
    var lab = "."

    func open(readOnly: Bool = false) throws -> Workspace {
        try Workspace(at: lab, readOnly: readOnly)
    }
}
