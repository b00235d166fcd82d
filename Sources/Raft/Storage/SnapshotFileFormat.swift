import Platform

/// The snapshot file format. Integers little-endian.
///
///     "ROOSTSNP" magic, u32 version, u32 reserved 0,
///     u64 index, u64 term, ConfState (u32 voters, u32 learners, u64 ids),
///     u64 data length, data, u32 CRC-32C of every byte before it
///
/// The file is exactly that long; a length mismatch is corruption (files are written to a
/// temporary name and renamed, so a crash never leaves a short file under the final name).
enum SnapshotFileFormat {
    static let magic: [UInt8] = Array("ROOSTSNP".utf8)
    static let version: UInt32 = 1
    static let suffix = ".snap"
    static let temporarySuffix = ".snap.tmp"
    static let trailerBytes = 4
    /// The longest possible header: fixed fields plus the most member ids allowed.
    static let headerBytesMax = 8 + 4 + 4 + 16 + 8 + 16 * ConfState.storedMembersMax + 8

    static func header(_ metadata: SnapshotMetadata, dataBytes: Int) -> [UInt8] {
        var bytes = magic
        StorageBytes.append(version, to: &bytes)
        StorageBytes.append(UInt32(0), to: &bytes)
        StorageBytes.append(metadata.index, to: &bytes)
        StorageBytes.append(metadata.term, to: &bytes)
        metadata.confState.appendStored(to: &bytes)
        StorageBytes.append(UInt64(dataBytes), to: &bytes)
        return bytes
    }

    struct Header {
        var metadata: SnapshotMetadata
        var headerBytes: Int
        var dataBytes: UInt64
    }

    /// Parses a header from the start of a file; returns why it is malformed on failure.
    static func parseHeader(_ bytes: UnsafeRawBufferPointer) -> Swift.Result<Header, Reason> {
        guard bytes.count >= 32, bytes.prefix(8).elementsEqual(magic) else {
            return .failure(Reason("not a snapshot file (bad magic)"))
        }
        let fileVersion = StorageBytes.load(UInt32.self, from: bytes, at: 8)
        guard fileVersion == version else {
            return .failure(Reason("unknown snapshot version \(fileVersion)"))
        }
        guard let (confState, used) = ConfState.loadStored(from: bytes, at: 32),
            bytes.count >= 32 + used + 8
        else { return .failure(Reason("malformed membership in header")) }
        let metadata = SnapshotMetadata(
            index: StorageBytes.load(UInt64.self, from: bytes, at: 16),
            term: StorageBytes.load(UInt64.self, from: bytes, at: 24), confState: confState)
        let dataBytes = StorageBytes.load(UInt64.self, from: bytes, at: 32 + used)
        return .success(
            Header(metadata: metadata, headerBytes: 32 + used + 8, dataBytes: dataBytes))
    }

    struct Reason: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    /// "<term>-<index>.snap", each as 16 hex digits (etcd `snap` naming), so that names sort
    /// by term then index.
    static func fileName(_ metadata: SnapshotMetadata) -> String {
        "\(hex16(metadata.term))-\(hex16(metadata.index))\(suffix)"
    }

    /// (term, index) from a final snapshot file name, or nil if it is not one.
    static func parseFileName(_ name: String) -> (term: UInt64, index: UInt64)? {
        let bytes = Array(name.utf8)
        guard bytes.count == 33 + suffix.utf8.count, name.hasSuffix(suffix),
            bytes[16] == UInt8(ascii: "-"), let term = parseHex16(bytes[0..<16]),
            let index = parseHex16(bytes[17..<33])
        else { return nil }
        return (term, index)
    }
}
