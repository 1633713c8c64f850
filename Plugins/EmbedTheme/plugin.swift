import Foundation
import PackagePlugin

/// Embeds the repository's `Templates/` folder into TandemKit as the built-in default theme.
///
/// Runs `ThemeEmbedder` on every file of Templates/ (dot files excepted) and hands its generated Swift file to the
/// compiler. The file list is passed as arguments as well as declared as inputs, so adding, removing or editing a
/// theme file regenerates the data: the built-in theme cannot go stale.
@main
struct EmbedTheme: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let theme = context.package.directoryURL.appending(path: "Templates")
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInThemeData.swift")
        let relatives = Self.files(below: theme)
        return [
            .buildCommand(
                displayName: "Embedding the default theme from Templates",
                executable: try context.tool(named: "ThemeEmbedder").url,
                arguments: [theme.path, output.path] + relatives,
                inputFiles: relatives.map { theme.appending(path: $0) },
                outputFiles: [output])
        ]
    }

    /// Regular files below `root`, relative to it, sorted; hidden files and symbolic links are left out.
    static func files(below root: URL) -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        func walk(_ relative: String) {
            let folder = relative.isEmpty ? root.path : root.path + "/" + relative
            for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : relative + "/" + name
                guard let type = try? manager.attributesOfItem(atPath: root.path + "/" + child)[.type] as? FileAttributeType
                else { continue }
                if type == .typeDirectory {
                    walk(child)
                } else if type == .typeRegular {
                    found.append(child)
                }
            }
        }
        walk("")
        return found.sorted()
    }
}
