/// Decodes the chunked transfer coding (RFC 9112 §7.1) incrementally:
/// `*(chunk-size [chunk-ext] CRLF chunk-data CRLF) "0" [chunk-ext] CRLF *(field-line CRLF) CRLF`.
/// Chunk extensions are ignored (bounded by `chunkLineBytesMax`); trailer fields are checked
/// for syntax, counted against the header limits, and dropped (RFC 9112 §7.1.2 lets a
/// recipient discard them).
struct HTTPChunkedDecoder: Sendable {
    enum Event: Equatable {
        case needMoreBytes
        /// Chunk data at `range` of the input; `chunkComplete` when it is the chunk's last piece.
        case data(Range<Int>, chunkComplete: Bool)
        /// The last chunk and the trailer section have been read.
        case end
    }

    private enum State: Sendable, Equatable {
        case size
        case data(remainingBytes: Int)
        case dataEnd, trailers, done
    }

    private var state = State.size
    private var lines = HTTPLineReader()
    /// Body bytes announced by chunk sizes so far.
    private var bodyBytes = 0
    /// `nil` for response streams, which may run forever (watch streams).
    private let bodyBytesMax: Int?
    private let limits: HTTPLimits
    private var budget: HTTPHeaderBudget

    init(limits: HTTPLimits, budget: HTTPHeaderBudget, enforcesBodyLimit: Bool) {
        bodyBytesMax = enforcesBodyLimit ? limits.bodyBytesMax : nil
        self.limits = limits
        self.budget = budget
    }

    /// Advances through `input` from `index` until it has an event to report. A `.data` event
    /// covers at most `dataBytesMax` bytes.
    mutating func decode(
        _ input: UnsafeRawBufferPointer, at index: inout Int, dataBytesMax: Int = .max
    ) throws(HTTPParseError) -> Event {
        precondition(dataBytesMax > 0, "a data event must be able to make progress")
        while true {
            switch state {
            case .size:
                guard
                    try lines.read(
                        input, at: &index, lineBytesMax: limits.chunkLineBytesMax,
                        tooLong: .chunkLineTooLong(limits))
                else { return .needMoreBytes }
                try finishSizeLine()
            case .data(let remainingBytes):
                guard index < input.count else { return .needMoreBytes }
                let count = min(remainingBytes, input.count - index, dataBytesMax)
                let range = index..<(index + count)
                index += count
                let left = remainingBytes - count
                state = left == 0 ? .dataEnd : .data(remainingBytes: left)
                return .data(range, chunkComplete: left == 0)
            case .dataEnd:
                // The line after chunk data must be empty: only CRLF (or a bare LF) may follow.
                guard
                    try lines.read(
                        input, at: &index, lineBytesMax: 0,
                        tooLong: .badRequest("chunk data not followed by CRLF"))
                else { return .needMoreBytes }
                lines.reset()
                state = .size
            case .trailers:
                guard
                    try lines.read(
                        input, at: &index, lineBytesMax: budget.bytesRemaining,
                        tooLong: .headerSectionTooLarge(limits))
                else { return .needMoreBytes }
                if try finishTrailerLine() { return .end }
            case .done:
                return .end
            }
        }
    }

    private mutating func finishSizeLine() throws(HTTPParseError) {
        var line = lines.takeLine()
        defer { lines.recycle(&line) }
        let size = try HTTPBytes.withBytes(line) { bytes throws(HTTPParseError) in
            try Self.chunkSize(bytes)
        }
        if let bodyBytesMax, size > bodyBytesMax - bodyBytes {
            throw HTTPParseError(
                status: .payloadTooLarge, reason: "chunked body exceeds \(bodyBytesMax) bytes")
        }
        bodyBytes += size
        state = size == 0 ? .trailers : .data(remainingBytes: size)
    }

    /// `chunk-size = 1*HEXDIG`, then optional `BWS ";" ...` extensions, which are skipped.
    static func chunkSize(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        var size = 0
        var index = 0
        while index < line.count, let digit = HTTPRequest.hexValue(line[index]) {
            let (times16, overflow) = size.multipliedReportingOverflow(by: 16)
            guard !overflow else { throw .badRequest("chunk size overflows") }
            size = times16 | Int(digit)
            index += 1
        }
        guard index > 0 else { throw .badRequest("chunk size is not hexadecimal") }
        while index < line.count, HTTPBytes.isWhitespace(line[index]) { index += 1 }
        guard index == line.count || line[index] == UInt8(ascii: ";") else {
            throw .badRequest("invalid characters after the chunk size")
        }
        for byte in line[index...] where !HTTPBytes.isFieldValueByte(byte) {
            throw .badRequest("control character in a chunk extension")
        }
        return size
    }

    /// Returns true at the empty line that ends the trailer section.
    private mutating func finishTrailerLine() throws(HTTPParseError) -> Bool {
        var line = lines.takeLine()
        defer { lines.recycle(&line) }
        if line.isEmpty {
            state = .done
            return true
        }
        _ = try HTTPBytes.withBytes(line) { bytes throws(HTTPParseError) in
            try HTTPFieldLine.parse(bytes)
        }
        try budget.take(
            lineBytes: line.count,
            tooMany: .tooManyFields(limits))
        return false
    }
}
