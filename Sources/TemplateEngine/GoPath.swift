/// Go's `path` package on slash-separated keys: `Clean`, `Join`, `Dir`, `Base`, `Match`.
/// Works on UTF-8 bytes, as Go strings are bytes. confd builds and strips key paths with
/// these (reference/confd.md §1.2), so key handling must match them exactly.
public enum GoPath {
    public struct BadPattern: Error {}

    /// Lexical cleaning: collapse "//", drop "." elements, resolve ".." against the element
    /// before it (a rooted path never climbs above "/"), drop a trailing "/". "" becomes ".".
    public static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Joins the non-empty elements with "/" and cleans the result; "" if all are empty.
    public static func join(_ elements: String...) -> String {
        let kept = elements.filter { !$0.isEmpty }
        return kept.isEmpty ? "" : clean(kept.joined(separator: "/"))
    }

    public static func dir(_ path: String) -> String {
        let bytes = Array(path.utf8)
        var end = bytes.count
        while end > 0 && bytes[end - 1] != UInt8(ascii: "/") { end -= 1 }
        return clean(String(decoding: bytes[..<end], as: UTF8.self))
    }

    public static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var bytes = Array(path.utf8)
        while bytes.count > 0 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        if let slash = bytes.lastIndex(of: UInt8(ascii: "/")) {
            bytes = Array(bytes[(slash + 1)...])
        }
        if bytes.isEmpty { return "/" }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `path.Match`: `*` (not across `/`), `?`, `[...]` classes with ranges and `^`, `\`
    /// escapes. A malformed pattern throws `BadPattern` ("syntax error in pattern").
    public static func match(_ pattern: String, _ name: String) throws(BadPattern) -> Bool {
        var pattern = Array(pattern.utf8)[...]
        var name = Array(name.utf8)[...]
        patternLoop: while !pattern.isEmpty {
            let (star, chunk, rest) = scanChunk(pattern)
            pattern = rest
            if star && chunk.isEmpty { return !name.contains(UInt8(ascii: "/")) }
            let (remaining, matched) = try matchChunk(chunk, name)
            if matched, let remaining, remaining.isEmpty || !pattern.isEmpty {
                name = remaining
                continue
            }
            if star {
                var index = name.startIndex
                while index < name.endIndex && name[index] != UInt8(ascii: "/") {
                    let (tail, ok) = try matchChunk(chunk, name[(index + 1)...])
                    if ok, let tail {
                        if pattern.isEmpty && !tail.isEmpty {
                            index += 1
                            continue
                        }
                        name = tail
                        continue patternLoop
                    }
                    index += 1
                }
            }
            while !pattern.isEmpty {
                let (_, chunk, rest) = scanChunk(pattern)
                pattern = rest
                _ = try matchChunk(chunk, [])
            }
            return false
        }
        return name.isEmpty
    }

    private static func scanChunk(
        _ input: ArraySlice<UInt8>
    )
        -> (Bool, ArraySlice<UInt8>, ArraySlice<UInt8>)
    {
        var pattern = input
        var star = false
        while pattern.first == UInt8(ascii: "*") {
            pattern = pattern.dropFirst()
            star = true
        }
        var inRange = false
        var index = pattern.startIndex
        scan: while index < pattern.endIndex {
            switch pattern[index] {
            case UInt8(ascii: "\\"):
                if index + 1 < pattern.endIndex { index += 1 }
            case UInt8(ascii: "["): inRange = true
            case UInt8(ascii: "]"): inRange = false
            case UInt8(ascii: "*"): if !inRange { break scan }
            default: break
            }
            index += 1
        }
        return (star, pattern[pattern.startIndex..<index], pattern[index...])
    }

    private static func decodeRune(_ bytes: ArraySlice<UInt8>) -> (UInt32, Int) {
        guard let first = bytes.first else { return (0xFFFD, 0) }
        let length = min(TemplateLexer.scalarLength(first), bytes.count)
        let text = String(decoding: bytes.prefix(length), as: UTF8.self)
        guard let scalar = text.unicodeScalars.first, scalar != "\u{FFFD}" || length == 3 else {
            return (0xFFFD, 1)
        }
        return (scalar.value, length)
    }

    /// Matches one chunk at the start of `input`; the rest of `input` when it matched.
    private static func matchChunk(
        _ chunkIn: ArraySlice<UInt8>, _ input: ArraySlice<UInt8>
    )
        throws(BadPattern) -> (ArraySlice<UInt8>?, Bool)
    {
        var chunk = chunkIn
        var s = input
        var failed = false
        while let head = chunk.first {
            if !failed && s.isEmpty { failed = true }
            switch head {
            case UInt8(ascii: "["):
                var rune: UInt32 = 0
                if !failed {
                    let (value, length) = decodeRune(s)
                    rune = value
                    s = s.dropFirst(length)
                }
                chunk = chunk.dropFirst()
                var negated = false
                if chunk.first == UInt8(ascii: "^") {
                    negated = true
                    chunk = chunk.dropFirst()
                }
                var matched = false
                var ranges = 0
                while true {
                    if chunk.first == UInt8(ascii: "]") && ranges > 0 {
                        chunk = chunk.dropFirst()
                        break
                    }
                    let low = try escaped(&chunk)
                    var high = low
                    if chunk.first == UInt8(ascii: "-") {
                        chunk = chunk.dropFirst()
                        high = try escaped(&chunk)
                    }
                    if low <= rune && rune <= high { matched = true }
                    ranges += 1
                }
                if matched == negated { failed = true }
            case UInt8(ascii: "?"):
                if !failed {
                    if s.first == UInt8(ascii: "/") { failed = true }
                    s = s.dropFirst(max(decodeRune(s).1, 1))
                }
                chunk = chunk.dropFirst()
            default:
                if head == UInt8(ascii: "\\") {
                    chunk = chunk.dropFirst()
                    if chunk.isEmpty { throw BadPattern() }
                }
                if !failed {
                    if chunk.first != s.first { failed = true }
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            }
        }
        return failed ? (nil, false) : (s, true)
    }

    /// Go `getEsc`: one possibly escaped rune of a character class.
    private static func escaped(_ chunk: inout ArraySlice<UInt8>) throws(BadPattern) -> UInt32 {
        guard let first = chunk.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "]")
        else { throw BadPattern() }
        if first == UInt8(ascii: "\\") {
            chunk = chunk.dropFirst()
            if chunk.isEmpty { throw BadPattern() }
        }
        let (rune, length) = decodeRune(chunk)
        if rune == 0xFFFD && length == 1 { throw BadPattern() }
        chunk = chunk.dropFirst(length)
        if chunk.isEmpty { throw BadPattern() }
        return rune
    }
}
