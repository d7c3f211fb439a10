import ArgumentParser
import LoupeLab

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a workspace (or complete an existing one).")

    @OptionGroup var options: LabOptions

    func run() throws {
        let created = try Workspace.initialize(at: options.lab)
        let workspace = try options.open()
        print(created ? "created workspace \(workspace.root)" : "workspace \(workspace.root) already exists; layout checked")
        print("drop images into \(workspace.inbox), corrected masks into \(workspace.corrections)")
    }
}
