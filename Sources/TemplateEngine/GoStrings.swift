/// Go's `strings.Split`, `Contains` and `Replace` on UTF-8 bytes.
enum GoStrings {
    static func split(_ text: String, _ separator: String) -> [String] {
        let bytes = Array(text.utf8)
        let sep = Array(separator.utf8)
        if sep.isEmpty {
            // Go: one element per UTF-8 sequence; empty input gives an empty list.
            return text.unicodeScalars.map { String(Character($0)) }
        }
        var parts: [String] = []
        var start = 0
        var index = 0
        while index + sep.count <= bytes.count {
            if bytes[index..<(index + sep.count)].elementsEqual(sep) {
                parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += sep.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }

    static func contains(_ text: String, _ part: String) -> Bool {
        let bytes = Array(text.utf8)
        let needle = Array(part.utf8)
        if needle.isEmpty { return true }
        guard needle.count <= bytes.count else { return false }
        for start in 0...(bytes.count - needle.count)
        where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }

    /// `strings.Replace(s, old, new, n)`: n < 0 replaces all; an empty `old` matches before
    /// each UTF-8 sequence and at the end.
    static func replace(
        _ text: String, _ old: String, _ new: String, _ limit: Int, bytesMax: Int
    ) throws(TemplateFunctionError) -> String {
        if old == new || limit == 0 { return text }
        let bytes = Array(text.utf8)
        let oldBytes = Array(old.utf8)
        let newBytes = Array(new.utf8)
        var output: [UInt8] = []
        var replaced = 0
        var index = 0
        func canReplace() -> Bool { limit < 0 || replaced < limit }
        func grow(_ count: Int) throws(TemplateFunctionError) {
            guard output.count + count <= bytesMax else {
                throw TemplateFunctionError(
                    "result exceeds valueBytesMax (\(bytesMax) bytes)", isLimit: true)
            }
        }
        if oldBytes.isEmpty {
            while canReplace() {
                try grow(newBytes.count)
                output.append(contentsOf: newBytes)
                replaced += 1
                guard index < bytes.count else { break }
                let length = min(TemplateLexer.scalarLength(bytes[index]), bytes.count - index)
                try grow(length)
                output.append(contentsOf: bytes[index..<(index + length)])
                index += length
            }
        } else {
            while index + oldBytes.count <= bytes.count && canReplace() {
                if bytes[index..<(index + oldBytes.count)].elementsEqual(oldBytes) {
                    try grow(newBytes.count)
                    output.append(contentsOf: newBytes)
                    index += oldBytes.count
                    replaced += 1
                } else {
                    try grow(1)
                    output.append(bytes[index])
                    index += 1
                }
            }
        }
        try grow(bytes.count - index)
        output.append(contentsOf: bytes[index...])
        return String(decoding: output, as: UTF8.self)
    }
}
