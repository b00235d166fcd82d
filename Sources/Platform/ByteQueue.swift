/// A FIFO of bytes: append at the back, consume from the front without moving the rest
/// on every call. The consumed prefix is reclaimed when the queue empties or when it
/// outweighs what is left, so the cost per byte stays constant.
public struct ByteQueue: Sendable {
    private var storage: [UInt8] = []
    private var start = 0

    public init() {}

    public var count: Int { storage.count - start }
    public var isEmpty: Bool { start == storage.count }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if start > 0 && start >= storage.count - start {
            storage.removeFirst(start)
            start = 0
        }
        storage.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func removeFirst(_ count: Int) {
        precondition(count >= 0 && count <= self.count, "cannot consume more bytes than are queued")
        start += count
        if start == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
            start = 0
        }
    }

    /// The queued bytes, valid only during `body`.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let result: Swift.Result<Result, Failure> = storage.withUnsafeBytes { whole in
            do throws(Failure) {
                return .success(try body(UnsafeRawBufferPointer(rebasing: whole[start...])))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Copies out the queued bytes.
    public var bytes: [UInt8] { Array(storage[start...]) }
}
