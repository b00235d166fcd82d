/// Percent-encoding of the user's strings in Consul URLs (RFC 3986 §2.1): a service or
/// check ID is one path segment and a note one query value, whatever bytes they hold.
enum PercentEncoding {
    /// Keeps RFC 3986 §2.3's unreserved characters, plus `:` (allowed in a segment,
    /// §3.3) so `service:web1` stays readable; escapes everything else, `/` included.
    static func pathSegment(_ text: String) -> String {
        encode(text) { $0 == UInt8(ascii: ":") }
    }

    /// A query value: unreserved characters only (`&`, `=`, `+` and space escaped).
    static func queryValue(_ text: String) -> String {
        encode(text) { _ in false }
    }

    private static func encode(_ text: String, alsoKeep: (UInt8) -> Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || alsoKeep(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }
}
