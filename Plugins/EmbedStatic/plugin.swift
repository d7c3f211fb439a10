import Foundation
import PackagePlugin

/// Compiles the page and the OpenAPI document in `Static/` into the server as Swift source:
/// the binary serves them from a table, so no path from a request ever reaches the file system.
@main
struct EmbedStatic: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appendingPathComponent("Static")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { !$0.hasPrefix(".") }
            .sorted()
        let inputs = names.map { folder.appendingPathComponent($0) }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedStatic.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) static files",
                executable: try context.tool(named: "StaticEmbedder").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
