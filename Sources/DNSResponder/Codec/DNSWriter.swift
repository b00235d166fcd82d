/// Appends wire bytes and remembers where names were written, for compression
/// (RFC 1035 §4.1.4). A mark taken before a record can undo it completely, compression
/// targets included, so a record that overflows the budget is dropped whole.
///
/// Compression targets are offsets into the bytes already written, each the start of a
/// name or of one of its suffixes. A candidate suffix is compared against the wire bytes
/// there (following our own earlier pointers), case-insensitively (RFC 1035 §2.3.3,
/// RFC 4343): no name is built and nothing is hashed per suffix. Targets are chained in a
/// few buckets by label count and first label, so a lookup compares against a handful of
/// candidates even in a 64 KiB TCP answer.
struct DNSWriter {
    struct Mark {
        let byteCount: Int
        let targetCount: Int
    }

    /// Where a name (or a suffix of one) starts and how many labels it has to the root.
    struct Target {
        let offset: UInt16
        let labelCount: UInt8
        let bucket: UInt8
        /// The previous target in the same bucket, or -1.
        let next: Int32
    }

    /// Buckets of the target index (a power of two). Any count is correct; 64 keeps the
    /// chains short for the few hundred targets a large answer registers, and the heads
    /// array small enough to set up per message.
    static let targetBucketCount = 64

    private(set) var bytes: [UInt8] = []
    /// Every distinct name suffix written at an offset a pointer can reach, in write order.
    private var targets: [Target] = []
    /// The last target of each bucket, or -1.
    private var heads: [Int32]

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        heads = [Int32](repeating: -1, count: Self.targetBucketCount)
    }

    var count: Int { bytes.count }

    var mark: Mark { Mark(byteCount: bytes.count, targetCount: targets.count) }

    /// Undoes everything written after `mark`. Targets are unlinked newest first, so each
    /// is its bucket's head when removed.
    mutating func rollBack(to mark: Mark) {
        bytes.removeSubrange(mark.byteCount...)
        while targets.count > mark.targetCount {
            let removed = targets.removeLast()
            let bucket = Int(removed.bucket)
            precondition(heads[bucket] == Int32(targets.count), "targets unlink in order")
            heads[bucket] = removed.next
        }
    }

    mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func writeUInt32(_ value: UInt32) {
        writeUInt16(UInt16(value >> 16))
        writeUInt16(UInt16(value & 0xFFFF))
    }

    mutating func writeBytes(_ value: [UInt8]) {
        bytes.append(contentsOf: value)
    }

    mutating func setUInt16(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }

    /// Writes `name`, replacing its longest already-written suffix by a pointer when
    /// `compress` is true. Every suffix written here becomes a target for later names (if
    /// its offset fits in 14 bits and it is not a target already), compressed or not.
    mutating func writeName(_ name: DNSName, compress: Bool) {
        let labels = name.labels
        for index in labels.indices {
            let existing = target(matching: labels, from: index)
            if compress, let existing {
                writeUInt16(0xC000 | existing)
                return
            }
            let label = labels[index]
            if existing == nil && bytes.count <= DNSLimits.compressionOffsetMax {
                let labelCount = UInt8(labels.count - index)
                let bucket = Self.bucket(labelCount: labelCount, label: label)
                targets.append(
                    Target(
                        offset: UInt16(bytes.count), labelCount: labelCount, bucket: UInt8(bucket),
                        next: heads[bucket]))
                heads[bucket] = Int32(targets.count - 1)
            }
            writeUInt8(UInt8(label.count))
            writeBytes(label)
        }
        writeUInt8(0)
    }

    /// The offset of a target spelling `labels[index...]` (case-insensitively), if any.
    func target(matching labels: [[UInt8]], from index: Int) -> UInt16? {
        let labelCount = UInt8(labels.count - index)
        var candidate = heads[Self.bucket(labelCount: labelCount, label: labels[index])]
        while candidate >= 0 {
            let target = targets[Int(candidate)]
            if target.labelCount == labelCount
                && spells(labels, from: index, at: Int(target.offset))
            {
                return target.offset
            }
            candidate = target.next
        }
        return nil
    }

    /// True if the name written at `offset` has the labels `labels[index...]`, given that
    /// it has as many labels. Pointers met on the way are our own and point backward.
    private func spells(_ labels: [[UInt8]], from index: Int, at offset: Int) -> Bool {
        var position = offset
        for label in labels[index...] {
            var length = Int(bytes[position])
            if length & 0xC0 == 0xC0 {
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                precondition(target < position, "the writer's pointers point backward")
                position = target
                length = Int(bytes[position])
            }
            guard length == label.count else { return false }
            for (labelIndex, byte) in label.enumerated()
            where DNSName.lowercased(bytes[position + 1 + labelIndex]) != DNSName.lowercased(byte) {
                return false
            }
            position += 1 + length
        }
        return true
    }

    /// The bucket of a suffix: its label count, its first label's length and first byte
    /// (case-folded). Cheap, and equal for every spelling of the same suffix.
    private static func bucket(labelCount: UInt8, label: [UInt8]) -> Int {
        let first = Int(DNSName.lowercased(label.first ?? 0))
        return (Int(labelCount) &* 31 &+ label.count &* 7 &+ first) & (targetBucketCount - 1)
    }
}
