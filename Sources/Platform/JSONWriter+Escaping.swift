extension JSONWriter {
    /// Appends `text` as a quoted JSON string (RFC 8259 §7): quote and backslash escaped,
    /// control characters as `\u00XX`, everything else copied in runs. With `validating`,
    /// ill-formed UTF-8 is replaced by U+FFFD (a `String` is already well-formed).
    mutating func appendEscaped(_ text: UnsafeRawBufferPointer, validating: Bool) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"),
                byte < 0x80 || !validating
            {
                index += 1
                continue
            }
            if byte >= 0x80 {
                if case .valid(let length) = JSONUTF8.check(text, at: index) {
                    index += length
                    continue
                }
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            } else {
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
                appendEscape(byte)
            }
            index += 1
            runStart = index
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        guard byte < 0x20 else {
            bytes.append(byte)
            return
        }
        let hex: StaticString = "0123456789abcdef"
        HTTPBytes.append("u00", to: &bytes)
        bytes.append(hex.utf8Start[Int(byte >> 4)])
        bytes.append(hex.utf8Start[Int(byte & 0xF)])
    }
}
