/// A domain name as a list of labels (bytes, case preserved). Comparison and hashing are
/// ASCII case-insensitive (RFC 1035 §2.3.3, RFC 4343), so a lookup key built from any
/// spelling finds the same entry, while encoding still writes the labels as given (a query
/// is echoed exactly as asked, which 0x20-randomising resolvers check).
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
    /// The labels, most specific first, without the empty root label.
    public let labels: [[UInt8]]

    /// The root name ".".
    public static let root = DNSName(uncheckedLabels: [])

    /// Validates label and total lengths (RFC 1035 §2.3.4).
    public init(labels: [[UInt8]]) throws(DNSError) {
        var wireLength = 1
        for label in labels {
            guard !label.isEmpty else { throw .emptyLabel }
            guard label.count <= DNSLimits.labelBytesMax else {
                throw .labelTooLong(byteCount: label.count)
            }
            wireLength += 1 + label.count
        }
        guard wireLength <= DNSLimits.nameBytesMax else { throw .nameTooLong }
        self.labels = labels
    }

    /// For labels already validated (the decoder, suffixes of a valid name).
    init(uncheckedLabels: [[UInt8]]) {
        labels = uncheckedLabels
    }

    /// Parses dotted text ("web.service.roost." or without the final dot; "." is the
    /// root). No escapes: catalog names and configuration are plain.
    public init(_ text: String) throws(DNSError) {
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        let bytes = Array(text.utf8)
        if bytes == [UInt8(ascii: ".")] {
            self = .root
            return
        }
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ".") {
                // A final dot ends the name; any other empty label is an error.
                if current.isEmpty && index != bytes.count - 1 { throw .emptyLabel }
                if current.isEmpty { break }
                labels.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { labels.append(current) }
        try self.init(labels: labels)
    }

    /// Bytes in wire form without compression: a length byte per label, plus the root.
    public var wireLength: Int {
        labels.reduce(1) { $0 + 1 + $1.count }
    }

    public var isRoot: Bool { labels.isEmpty }

    /// True if `suffix` equals the last labels of this name (case-insensitive).
    public func hasSuffix(_ suffix: DNSName) -> Bool {
        guard suffix.labels.count <= labels.count else { return false }
        let offset = labels.count - suffix.labels.count
        for index in suffix.labels.indices
        where !DNSName.labelsEqual(labels[offset + index], suffix.labels[index]) {
            return false
        }
        return true
    }

    /// This name with `prefix` labels in front; throws if the result is too long.
    public func prepending(_ prefix: [[UInt8]]) throws(DNSError) -> DNSName {
        try DNSName(labels: prefix + labels)
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.labels.count == rhs.labels.count else { return false }
        for index in lhs.labels.indices where !labelsEqual(lhs.labels[index], rhs.labels[index]) {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels.count)
        for label in labels {
            hasher.combine(label.count)
            for byte in label { hasher.combine(DNSName.lowercased(byte)) }
        }
    }

    /// ASCII-only folding: RFC 4343 §3 leaves other bytes alone.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    static func lowercased(_ label: [UInt8]) -> [UInt8] {
        label.map(lowercased)
    }

    static func labelsEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in lhs.indices where lowercased(lhs[index]) != lowercased(rhs[index]) {
            return false
        }
        return true
    }

    /// Dotted text with a final dot; dots, backslashes and non-printable bytes inside a
    /// label are escaped as in zone files (RFC 1035 §5.1).
    public var description: String {
        guard !labels.isEmpty else { return "." }
        var text = ""
        for label in labels {
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"):
                    text += "\\" + String(UnicodeScalar(byte))
                case 0x21...0x7E:
                    text.unicodeScalars.append(UnicodeScalar(byte))
                default:
                    let digits = String(byte)
                    text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                }
            }
            text += "."
        }
        return text
    }
}
