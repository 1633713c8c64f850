import Dispatch
import Foundation
import TandemKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tandem serve`: runs the preview server until Ctrl-C (or SIGTERM) and returns the exit status.
public enum ServeCommand {
    public static func run(_ options: ServeOptions) -> Int32 {
        let out = Output()
        let server = PreviewServer(options: options) { out.line($0) }
        let done = DispatchSemaphore(value: 0)
        let status = Locked<Int32>(0)

        // Ctrl-C: stop listening and watching, let a write of the output folder finish, exit 0. A second Ctrl-C quits at once.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let interrupts = Locked(0)
        let signals = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let count = interrupts.write { value -> Int in
                    value += 1
                    return value
                }
                if count > 1 {
                    out.error("stopped before the output folder was completely written; run `tandem build` to write it")
                    exit(130)
                }
                out.line("Stopping …")
                // On plain threads: Swift's task threads may all be busy with requests.
                server.stopNow()
                if server.isWriting {
                    out.line("Finishing the write of \(options.build.outputPath)/ (Ctrl-C again to quit at once) …")
                }
                Thread.detachNewThread {
                    server.finishWriting(timeout: .infinity)
                    server.stopWriting()
                    done.signal()
                }
            }
            source.resume()
            return source
        }

        Task.detached {
            do {
                try await server.start()
            } catch {
                out.error("\(error)")
                status.write { $0 = 1 }
                done.signal()
                return
            }
            let mounts =
                options.isLoopback
                ? "print/ at /print/, internal/ at /internal/, mail/ at /mail/"
                : "print/ at /print/; internal/ and mail/ are not served on \(options.host)"
            out.line("Serving \(options.build.contentPath)/ at \(server.url) (\(mounts))")
            if !options.isLoopback {
                out.line("warning: listening on \(options.host): other machines can see the preview")
            }
            let watched = options.build.templatesPath.map { "\(options.build.contentPath)/ and \($0)/" } ?? "\(options.build.contentPath)/"
            out.line("Watching \(watched) (\(server.watchMethod)); Ctrl-C to stop")
            if options.openBrowser { openInBrowser(server.url, out: out) }
        }
        done.wait()
        withExtendedLifetime(signals) {}
        return status.read { $0 }
    }

    /// Hands the URL to the desktop (`xdg-open`, found on PATH) without waiting for it; without one, says so once.
    static func openInBrowser(_ url: String, out: Output) {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").map { $0 + "/xdg-open" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let found else {
            out.line("Open \(url) in your browser (no xdg-open found to open it; --no-open stops this attempt)")
            return
        }
        let opener = Process()
        opener.executableURL = URL(fileURLWithPath: found)
        opener.arguments = [url]
        opener.standardInput = FileHandle.nullDevice
        opener.standardOutput = FileHandle.nullDevice
        opener.standardError = FileHandle.nullDevice
        do {
            try opener.run()
        } catch {
            out.line("Open \(url) in your browser (\(found) could not be started)")
        }
    }

    /// Whole lines to stdout and stderr, unbuffered (the log is read while the server runs).
    final class Output: Sendable {
        func line(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
        func error(_ text: String) { FileHandle.standardError.write(Data(("error: " + text + "\n").utf8)) }
    }
}
