import ArgumentParser
import LoupeLab

/// `loupe user add NAME`, `loupe user list`: the annotators who may write through HTTP.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage annotators and their tokens.",
        subcommands: [UserAddCommand.self, UserListCommand.self]
    )
}

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an annotator (or issue a new token to one) and print the token.",
        discussion: """
            The token goes to stdout, alone on one line, so a script can capture it; only its SHA-256 is stored, so it \
            cannot be shown again. Adding a name that exists issues a new token and the old one stops working.
            """
    )

    @OptionGroup var options: LabOptions

    @Argument(help: "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
    var name: String

    @Option(help: "What the token may do: reader (look), annotator (also correct), reviewer (also review), operator (also pause, train, pin, roll back).")
    var role: String = Role.annotator.rawValue

    func validate() throws {
        guard Role(rawValue: role) != nil else {
            throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), not '\(role)'")
        }
    }

    func run() throws {
        let workspace = try options.open()
        let existed = try workspace.annotators().contains(name)
        let token = try workspace.addAnnotator(name: name, role: Role(rawValue: role)!)
        print(token)
        let replaced = existed ? "; the previous token no longer works" : ""
        printError("token for \(name), \(role) (shown only this once: store it now)\(replaced)")
    }
}

struct UserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the annotators, one name a line.")

    @OptionGroup var options: LabOptions

    func run() throws {
        for name in try options.open(readOnly: true).annotators() { print(name) }
    }
}
