#if canImport(Glibc)
    import Glibc
#endif

/// Collects one line (up to LF) across calls, bounded. Each input byte is scanned once, so
/// feeding a long line in many small pieces stays linear.
struct HTTPLineReader: Sendable {
    /// The bytes of the current line so far, without the LF.
    private var line: [UInt8] = []

    var hasPartialLine: Bool { !line.isEmpty }

    init() {
        line.reserveCapacity(256)
    }

    /// Appends `input[index...]` up to and including the next LF and advances `index` past
    /// what it took. Returns true when a whole line has been read; `takeLine` then hands it out
    /// without the CR LF or bare LF (a bare LF ends a line too, RFC 9112 §2.2).
    ///
    /// The line may hold at most `lineBytesMax` bytes without its line ending; longer throws
    /// `tooLong` as soon as that is certain, before more than `lineBytesMax + 1` bytes are held.
    mutating func read(
        _ input: UnsafeRawBufferPointer, at index: inout Int, lineBytesMax: Int,
        tooLong: @autoclosure () -> HTTPParseError
    ) throws(HTTPParseError) -> Bool {
        // One byte of slack for a CR that may turn out to be half of the line ending.
        let window = max(0, lineBytesMax + 1 - line.count)
        let scanEnd = min(input.count, index + window + 1)
        let lineFeed = Self.firstLineFeed(input, in: index..<scanEnd)
        guard lineFeed < scanEnd else {
            line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<scanEnd]))
            index = scanEnd
            if line.count > lineBytesMax + 1 { throw tooLong() }
            if line.count == lineBytesMax + 1, line.last != HTTPBytes.carriageReturn {
                throw tooLong()
            }
            return false
        }
        line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<lineFeed]))
        index = lineFeed + 1
        if line.last == HTTPBytes.carriageReturn { line.removeLast() }
        if line.count > lineBytesMax { throw tooLong() }
        return true
    }

    /// The index of the first LF in `range`, or `range.upperBound`. `memchr` scans a word at a
    /// time, which matters: this is where an HTTP parser spends most of its time.
    private static func firstLineFeed(
        _ input: UnsafeRawBufferPointer, in range: Range<Int>
    )
        -> Int
    {
        guard !range.isEmpty, let base = input.baseAddress else { return range.upperBound }
        guard let found = memchr(base + range.lowerBound, Int32(HTTPBytes.lineFeed), range.count)
        else { return range.upperBound }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Hands out the completed line; give it back with `recycle` to keep its capacity.
    mutating func takeLine() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &line)
        return taken
    }

    mutating func recycle(_ taken: inout [UInt8]) {
        taken.removeAll(keepingCapacity: true)
        swap(&taken, &line)
    }

    mutating func reset() {
        line.removeAll(keepingCapacity: true)
    }
}
