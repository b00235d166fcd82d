/// Push-style frame decoder: given the bytes from a frame boundary on, it says "need more",
/// "end of records", "invalid" or "decoded, consumed N". It never reads files itself.
/// It carries the CRC chain from frame to frame.
struct WALFrameDecoder {
    enum Step: Equatable {
        /// The frame is not complete: at least `totalBytes` bytes from the boundary are needed.
        case needMore(totalBytes: Int)
        /// A zero header: the preallocated, never-written space after the last record.
        case endOfRecords
        /// A valid frame of `consumedBytes` bytes (padding included).
        case record(WALRecord, batchEnd: Bool, consumedBytes: Int)
        /// The frame fails a check; `reason` says which.
        case invalid(String)
    }

    /// The CRC of the last valid frame (the seed for the next one).
    var chainCRC: UInt32
    let payloadBytesMax: Int

    init(chainCRC: UInt32, payloadBytesMax: Int) {
        self.chainCRC = chainCRC
        self.payloadBytesMax = payloadBytesMax
    }

    /// The length, kind, flags and stored CRC of a frame header, or nil if the header is
    /// not well-formed (unknown kind, reserved bits set, length over the limit).
    struct Header {
        var payloadBytes: Int
        var kind: WALRecord.Kind
        var batchEnd: Bool
        var storedCRC: UInt32
        var frameBytes: Int { WALFrame.frameBytes(payloadBytes: payloadBytes) }
    }

    static func header(_ bytes: UnsafeRawBufferPointer, payloadBytesMax: Int) -> Header? {
        guard bytes.count >= WALFrame.headerBytes,
            let kind = WALRecord.Kind(rawValue: bytes[4]),
            bytes[5] & ~WALFrame.batchEndFlag == 0, bytes[6] == 0, bytes[7] == 0
        else { return nil }
        let payloadBytes = Int(StorageBytes.load(UInt32.self, from: bytes, at: 0))
        guard payloadBytes <= payloadBytesMax else { return nil }
        return Header(
            payloadBytes: payloadBytes, kind: kind, batchEnd: bytes[5] != 0,
            storedCRC: StorageBytes.load(UInt32.self, from: bytes, at: 8))
    }

    mutating func decode(_ bytes: UnsafeRawBufferPointer) -> Step {
        guard bytes.count >= WALFrame.headerBytes else {
            return .needMore(totalBytes: WALFrame.headerBytes)
        }
        let headerSlice = UnsafeRawBufferPointer(rebasing: bytes[..<WALFrame.headerBytes])
        if StorageBytes.isAllZero(headerSlice) { return .endOfRecords }
        guard let header = WALFrameDecoder.header(bytes, payloadBytesMax: payloadBytesMax) else {
            return .invalid(headerProblem(bytes))
        }
        guard bytes.count >= header.frameBytes else {
            return .needMore(totalBytes: header.frameBytes)
        }
        let payloadEnd = WALFrame.headerBytes + header.payloadBytes
        let padding = UnsafeRawBufferPointer(rebasing: bytes[payloadEnd..<header.frameBytes])
        guard StorageBytes.isAllZero(padding) else { return .invalid("non-zero padding") }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[WALFrame.headerBytes..<payloadEnd])
        var seed = chainCRC
        if header.kind == .segmentHeader {
            guard let segmentHeader = WALSegmentHeader(payload: payload) else {
                return .invalid("malformed segment header (bad magic or version)")
            }
            seed = segmentHeader.previousCRC
        }
        let crc = WALFrame.checksum(
            seed: seed, raw: bytes, start: 0, payloadBytes: header.payloadBytes)
        guard crc == header.storedCRC else {
            return .invalid(
                "checksum mismatch (stored \(hex(header.storedCRC)), computed \(hex(crc)))")
        }
        guard let record = WALRecord.decodePayload(kind: header.kind, payload) else {
            return .invalid("malformed \(header.kind) payload of \(header.payloadBytes) bytes")
        }
        chainCRC = crc
        return .record(record, batchEnd: header.batchEnd, consumedBytes: header.frameBytes)
    }

    private func headerProblem(_ bytes: UnsafeRawBufferPointer) -> String {
        let length = StorageBytes.load(UInt32.self, from: bytes, at: 0)
        if WALRecord.Kind(rawValue: bytes[4]) == nil { return "unknown record kind \(bytes[4])" }
        if Int(length) > payloadBytesMax {
            return "record length \(length) exceeds recordPayloadBytesMax \(payloadBytesMax)"
        }
        return "reserved header bits set"
    }

    private func hex(_ value: UInt32) -> String {
        "0x" + String(value, radix: 16)
    }
}
