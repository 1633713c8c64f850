import FlyingFox
import FlyingSocks
import Foundation

/// A value guarded by a lock, for state shared between the build thread, the watcher and the HTTP handlers.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func read<T>(_ body: (Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(value)
    }

    @discardableResult
    func write<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// The browsers listening for rebuilds (Server-Sent Events at `/__tandem/events`).
final class EventHub: Sendable {
    private let clients = Locked<[Int: AsyncStream<[UInt8]>.Continuation]>([:])
    private let nextID = Locked(0)

    /// A new client's stream, starting with `hello` (which lets a page served by an older build or an earlier
    /// `tandem serve` reload at once). `retry` makes the browser reconnect quickly after a restart.
    func subscribe(hello: String) -> AsyncStream<[UInt8]> {
        let id = nextID.write { value -> Int in
            value += 1
            return value
        }
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(32))
        continuation.onTermination = { [weak self] _ in self?.clients.write { $0[id] = nil } }
        continuation.yield(Array("retry: 500\n\n".utf8))
        continuation.yield(Self.event("hello", hello))
        clients.write { $0[id] = continuation }
        return stream
    }

    /// Sends `event` to every client; clients that went away are dropped.
    func broadcast(_ name: String, _ data: String) {
        let message = Self.event(name, data)
        let current = clients.read { $0 }
        for (id, continuation) in current {
            if case .terminated = continuation.yield(message) { clients.write { $0[id] = nil } }
        }
    }

    /// A comment line: keeps idle connections open and finds clients that went away.
    func ping() {
        let current = clients.read { $0 }
        for (id, continuation) in current {
            if case .terminated = continuation.yield(Array(": ping\n\n".utf8)) { clients.write { $0[id] = nil } }
        }
    }

    var count: Int { clients.read { $0.count } }

    /// Ends every stream (on shutdown), so the HTTP connections finish.
    func closeAll() {
        let current = clients.write { value -> [Int: AsyncStream<[UInt8]>.Continuation] in
            defer { value = [:] }
            return value
        }
        for continuation in current.values { continuation.finish() }
    }

    static func event(_ name: String, _ data: String) -> [UInt8] {
        Array("event: \(name)\ndata: \(data)\n\n".utf8)
    }
}

/// An `AsyncStream` of byte chunks as the buffered byte sequence FlyingFox streams a response body from
/// (chunked transfer encoding, each chunk written as soon as it is yielded).
struct StreamedBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: [UInt8] = []
        var offset = 0

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            while offset >= pending.count {
                guard let chunk = await base.next() else { return nil }
                pending = chunk
                offset = 0
            }
            let end = Swift.min(pending.count, offset + Swift.max(1, count))
            let slice = Array(pending[offset..<end])
            offset = end
            return slice
        }
    }
}
