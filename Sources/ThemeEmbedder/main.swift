import Foundation

// Build-time generator for the built-in theme (run by the EmbedTheme plugin, not shipped):
//
//     ThemeEmbedder <theme folder> <output .swift file> <relative path>...
//
// writes one Swift file that holds every listed file of the theme as a base64 string literal. String literals
// compile in a fraction of the time an array literal of bytes takes, and base64 keeps binary assets exact.

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: ThemeEmbedder <theme folder> <output.swift> <relative path>...\n".utf8))
    exit(2)
}
let root = arguments[1]
let outputPath = arguments[2]
var source = """
    // Generated at build time by ThemeEmbedder from the repository's Templates/ folder. Do not edit.

    extension BuiltInTheme {
        /// Every file of the default theme: its path below Templates/ and its bytes in base64.
        static let encodedFiles: [(path: String, base64: String)] = [

    """
for relative in arguments[3...].sorted() {
    guard let data = FileManager.default.contents(atPath: root + "/" + relative) else {
        FileHandle.standardError.write(Data("ThemeEmbedder: error: cannot read \(root)/\(relative)\n".utf8))
        exit(1)
    }
    let escapedPath = relative.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    source += "        (\"\(escapedPath)\", \"\(data.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("ThemeEmbedder: error: cannot write \(outputPath): \(error)\n".utf8))
    exit(1)
}
