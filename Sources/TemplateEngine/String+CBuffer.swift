extension String {
    /// The UTF-8 text of a C buffer filled by a libc call, up to its first NUL (all of it
    /// when there is none): what `String(cString:)` did for arrays before it was
    /// deprecated, without reading past the buffer.
    init(cBuffer buffer: [CChar]) {
        let end = buffer.firstIndex(of: 0) ?? buffer.endIndex
        self = String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
