/// Little-endian integer encoding for the WAL and snapshot formats. Fixed widths, no
/// varints: records are rewritten rarely and read back in bulk, so simplicity wins.
enum StorageBytes {
    @inline(__always)
    static func append<Value: FixedWidthInteger>(_ value: Value, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// Reads a little-endian integer at `offset`; the caller has checked the bounds.
    @inline(__always)
    static func load<Value: FixedWidthInteger>(
        _ type: Value.Type, from bytes: UnsafeRawBufferPointer, at offset: Int
    ) -> Value {
        precondition(offset >= 0 && offset + MemoryLayout<Value>.size <= bytes.count)
        return Value(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Value.self))
    }

    @inline(__always)
    static func store(_ value: UInt32, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= bytes.count)
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }

    /// True if every byte of `bytes` is zero (eight bytes per step).
    static func isAllZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while bytes.count - offset >= 8 {
            if bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != 0 { return false }
            offset += 8
        }
        while offset < bytes.count {
            if bytes[offset] != 0 { return false }
            offset += 1
        }
        return true
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` with a typed error (the standard one only rethrows `any Error`).
    func withStorageBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        try withUnsafeBytes { raw in
            Swift.Result { () throws(StorageError) in try body(raw) }
        }.get()
    }
}
