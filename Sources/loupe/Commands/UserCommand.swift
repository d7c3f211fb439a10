import ArgumentParser
import Foundation
import LoupeLab

/// `loupe user add NAME`, `loupe user list`: the annotators who may write through HTTP.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage annotators and their tokens.",
        subcommands: [UserAddCommand.self, UserCodeCommand.self, UserListCommand.self]
    )
}

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an annotator (or issue a new token to one) and print the token and a login code.",
        discussion: """
            The token goes to stdout, alone on one line, so a script can capture it; only its SHA-256 is stored, so it \
            cannot be shown again. Adding a name that exists issues a new token and the old one stops working, and so do \
            the page sessions started with login codes. A login code for the page goes to stderr: typed there with the \
            name, it signs in once within 15 minutes (`loupe user code NAME` prints another).
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
        let (code, expires) = try workspace.issueLoginCode(name: name)
        printError(UserCodeCommand.describe(code: code, name: name, expires: expires))
    }
}

struct UserCodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Print a login code for an annotator: typed into the page with the name, it signs in once.",
        discussion: """
            The code goes to stdout, alone on one line; it is valid for 15 minutes and for one sign-in, and only its \
            SHA-256 is stored. The session it starts has the annotator's role and ends when they get a new token.
            """
    )

    @OptionGroup var options: LabOptions

    @Argument(help: "An annotator added with `loupe user add`.")
    var name: String

    func run() throws {
        let (code, expires) = try options.open().issueLoginCode(name: name)
        print(code)
        printError(Self.describe(code: code, name: name, expires: expires))
    }

    /// The line a person reads: the code, whose it is and until when, in local time.
    static func describe(code: String, name: String, expires: Date) -> String {
        "login code for \(name): \(code) (signs in once on the page, until \(expires.formatted(date: .omitted, time: .shortened)) local time)"
    }
}

struct UserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the annotators, one name a line.")

    @OptionGroup var options: LabOptions

    func run() throws {
        for name in try options.open(readOnly: true).annotators() { print(name) }
    }
}
