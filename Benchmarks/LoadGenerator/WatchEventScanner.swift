import Platform

/// Reads one newline-delimited watch response object (`{"result":{…}}`) without a full
/// JSON parse: counts "created" answers and, for each event's `kv`, decodes the send time
/// a watch-run put stamped into its value's first bytes.
enum WatchEventScanner {
    static let createdLabel = Array(#""created":true"#.utf8)
    static let canceledLabel = Array(#""canceled":true"#.utf8)
    /// An event's key-value; `"prev_kv":{` does not match because of the quote.
    static let kvLabel = Array(#""kv":{"#.utf8)
    static let valueLabel = Array(#""value":""#.utf8)
    /// Base64 characters of `RequestTemplate.stampBytes` bytes.
    static let stampTextBytes = Base64.encodedCount(RequestTemplate.stampBytes)

    struct Line {
        var created = false
        var canceled = false
        /// Send times of the events' puts; nil for an event whose value carries no stamp.
        var stamps: [UInt64?] = []
    }

    static func scan(_ line: UnsafeRawBufferPointer) -> Line {
        var result = Line()
        if find(createdLabel, in: line, from: 0) != nil { result.created = true }
        if find(canceledLabel, in: line, from: 0) != nil { result.canceled = true }
        var offset = 0
        while let kv = find(kvLabel, in: line, from: offset) {
            offset = kv + kvLabel.count
            guard let value = find(valueLabel, in: line, from: offset) else {
                result.stamps.append(nil)
                continue
            }
            let start = value + valueLabel.count
            offset = start
            guard start + stampTextBytes <= line.count else {
                result.stamps.append(nil)
                continue
            }
            let text = UnsafeRawBufferPointer(rebasing: line[start..<start + stampTextBytes])
            result.stamps.append(stamp(text))
        }
        return result
    }

    /// 16 hex digits (then 2 pad bytes) in base64, as `RequestTemplate.setStamp` wrote them.
    static func stamp(_ text: UnsafeRawBufferPointer) -> UInt64? {
        guard let bytes = try? Base64.decode(utf8: text), bytes.count == RequestTemplate.stampBytes
        else { return nil }
        var value: UInt64 = 0
        for byte in bytes[0..<16] {
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

    static func find(
        _ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int
    ) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = 1
                while matched < needle.count, haystack[index + matched] == needle[matched] {
                    matched += 1
                }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
