/// A segment file name: "<sequence>-<firstIndex>.wal", each as 16 lower-case hex digits
/// (etcd `walName`), so names sort in log order and say where each segment starts.
struct WALSegmentName: Equatable, Comparable {
    static let suffix = ".wal"
    /// A segment being created: written and synced under this name, then renamed.
    static let temporarySuffix = ".wal.tmp"

    var sequence: UInt64
    var firstIndex: UInt64

    var fileName: String {
        "\(hex16(sequence))-\(hex16(firstIndex))\(WALSegmentName.suffix)"
    }

    init(sequence: UInt64, firstIndex: UInt64) {
        self.sequence = sequence
        self.firstIndex = firstIndex
    }

    /// Parses a file name; nil if it is not exactly the segment pattern.
    init?(fileName: String) {
        let bytes = Array(fileName.utf8)
        guard bytes.count == 33 + WALSegmentName.suffix.utf8.count,
            fileName.hasSuffix(WALSegmentName.suffix), bytes[16] == UInt8(ascii: "-"),
            let sequence = parseHex16(bytes[0..<16]),
            let firstIndex = parseHex16(bytes[17..<33])
        else { return nil }
        self.init(sequence: sequence, firstIndex: firstIndex)
    }

    static func < (left: WALSegmentName, right: WALSegmentName) -> Bool {
        (left.sequence, left.firstIndex) < (right.sequence, right.firstIndex)
    }
}

/// 16 lower-case hex digits, zero-padded.
func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

/// Parses exactly 16 lower-case hex digits.
func parseHex16(_ bytes: ArraySlice<UInt8>) -> UInt64? {
    guard bytes.count == 16 else { return nil }
    var value: UInt64 = 0
    for byte in bytes {
        let digit: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
        default: return nil
        }
        value = value << 4 | UInt64(digit)
    }
    return value
}
