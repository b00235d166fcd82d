/// One receive buffer per event loop thread, shared by its connections (a loop serves
/// one connection at a time), allocated once for the life of the process.
final class ReadBuffer {
    /// Bytes taken per read(2): a whole watch burst or fill answer in one call.
    static let bytes = 256 * 1024

    let memory: UnsafeMutableRawBufferPointer

    init() {
        memory = .allocate(byteCount: Self.bytes, alignment: 16)
    }

    deinit {
        memory.deallocate()
    }
}
