import Platform

/// The on-disk frame of one WAL record. All integers little-endian.
///
///     offset 0   u32  payload length in bytes
///            4   u8   record kind (1...4; 0 never occurs, so a zero header is "end of log")
///            5   u8   flags: bit 0 = last record of an append batch; other bits 0
///            6   u16  reserved, 0
///            8   u32  CRC-32C of bytes 0..<8 and the payload, seeded with the CRC of the
///                     previous record (a chain, as in etcd's WAL `doc.go`); a segment
///                     header is seeded with its own `previousCRC` field
///           12   payload
///                zero padding to a multiple of 8 bytes
///
/// Frames start on 8-byte boundaries, so a length field never straddles a 512-byte sector
/// and a torn write cannot leave half of it (etcd `encoder.go`). The chain makes a record
/// copied from elsewhere, or left over from older contents, fail its check.
///
/// The batch flag makes each `append` call all-or-nothing on recovery: records after the
/// last flagged record were never synced, so replay drops them as a torn tail. Entries and
/// the HardState written by one `append` therefore survive or vanish together.
enum WALFrame {
    static let headerBytes = 12
    static let alignmentBytes = 8
    static let batchEndFlag: UInt8 = 1

    static func frameBytes(payloadBytes: Int) -> Int {
        let unpadded = headerBytes + payloadBytes
        return (unpadded + alignmentBytes - 1) / alignmentBytes * alignmentBytes
    }

    /// Appends `record` as one frame to `buffer`, advancing `chainCRC` to its checksum.
    static func append(
        _ record: WALRecord, batchEnd: Bool, to buffer: inout [UInt8], chainCRC: inout UInt32
    ) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: headerBytes))
        record.appendPayload(to: &buffer)
        let payloadBytes = buffer.count - start - headerBytes
        let end = start + frameBytes(payloadBytes: payloadBytes)
        buffer.append(contentsOf: repeatElement(0, count: end - buffer.count))
        var seed = chainCRC
        if case .segmentHeader(let header) = record { seed = header.previousCRC }
        let flags = batchEnd ? batchEndFlag : 0
        chainCRC = buffer.withUnsafeMutableBytes { raw in
            StorageBytes.store(UInt32(payloadBytes), into: raw, at: start)
            raw[start + 4] = record.kind.rawValue
            raw[start + 5] = flags
            let crc = checksum(
                seed: seed, raw: UnsafeRawBufferPointer(raw), start: start,
                payloadBytes: payloadBytes)
            StorageBytes.store(crc, into: raw, at: start + 8)
            return crc
        }
    }

    /// The frame checksum: header bytes 0..<8, then the payload.
    static func checksum(
        seed: UInt32, raw: UnsafeRawBufferPointer, start: Int, payloadBytes: Int
    ) -> UInt32 {
        var crc = CRC32C(seed: seed)
        crc.update(UnsafeRawBufferPointer(rebasing: raw[start..<(start + 8)]))
        let payloadStart = start + headerBytes
        crc.update(
            UnsafeRawBufferPointer(rebasing: raw[payloadStart..<(payloadStart + payloadBytes)]))
        return crc.value
    }
}
