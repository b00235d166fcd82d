/// TXT record strings for metadata (RFC 1464 "key=value", as Consul formats node meta).
enum DNSTextRecord {
    /// The prefix for keys whose value is served alone (Consul's `rfc1035-` convention).
    static let rawValuePrefix = "rfc1035-"

    /// Longest "key=value" served. Consul caps meta values at 512 bytes; anything near
    /// this cannot fit a UDP answer anyway, and it keeps RDATA far below its 65535 limit.
    static let entryBytesMax = 4096

    /// One string per entry, sorted by key so answers are stable; strings longer than a
    /// character-string are cut into 255-byte pieces by `chunks`. Entries longer than
    /// `entryBytesMax` are left out.
    static func strings(meta: [String: String]) -> [[UInt8]] {
        meta.sorted { $0.key < $1.key }.map { key, value in
            if key.hasPrefix(rawValuePrefix) { return Array(value.utf8) }
            return escapedKey(key) + [UInt8(ascii: "=")] + Array(value.utf8)
        }.filter { $0.count <= entryBytesMax }
    }

    /// RFC 1464 §2: "=" and "`" in the key, and leading or trailing spaces, are quoted
    /// with a backquote.
    static func escapedKey(_ key: String) -> [UInt8] {
        let bytes = Array(key.utf8)
        var escaped: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            let edgeSpace = byte == UInt8(ascii: " ") && (index == 0 || index == bytes.count - 1)
            if byte == UInt8(ascii: "=") || byte == UInt8(ascii: "`") || edgeSpace {
                escaped.append(UInt8(ascii: "`"))
            }
            escaped.append(byte)
        }
        return escaped
    }

    /// `text` as character-strings of at most 255 bytes (RFC 1035 §3.3).
    static func chunks(_ text: [UInt8]) -> [[UInt8]] {
        guard !text.isEmpty else { return [[]] }
        return stride(from: 0, to: text.count, by: DNSLimits.characterStringBytesMax).map {
            Array(text[$0..<min($0 + DNSLimits.characterStringBytesMax, text.count)])
        }
    }
}
