/// A `check_cmd` with its `{{.src}}` placeholders (reference/confd.md §1.4). confd runs the
/// string through Go's text/template with the map `{"src": <stage file path>}`; the only
/// useful actions are `{{.src}}` / `{{ .src }}` (and the `{{- -}}` trim forms). We also
/// accept `{{.dest}}` (recommended in §7; the abtreece/confd fork added it too). Anything
/// else is rejected when the resource is loaded, not when the check runs.
public struct CheckCommandTemplate: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case literal(String)
        case source
        case destination
    }

    /// A placeholder other than `.src`/`.dest`, or an unclosed `{{`.
    public struct SyntaxError: Error, Sendable, Equatable {
        public let message: String
    }

    /// The text as written in the resource file.
    public let text: String
    let pieces: [Piece]

    public init(_ text: String) throws(SyntaxError) {
        self.text = text
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            var literal = String(rest[..<open.lowerBound])
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                throw SyntaxError(message: "unclosed '{{' in check_cmd")
            }
            var action = rest[open.upperBound..<close.lowerBound]
            if action.hasPrefix("- ") || action.hasPrefix("-\t") {
                action = action.dropFirst()
                while literal.last == " " || literal.last == "\t" { literal.removeLast() }
            }
            var trimAfter = false
            if action.hasSuffix(" -") || action.hasSuffix("\t-") {
                action = action.dropLast()
                trimAfter = true
            }
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            pieces.append(try Self.placeholder(action))
            rest = rest[close.upperBound...]
            if trimAfter { rest = rest.drop { $0 == " " || $0 == "\t" } }
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        self.pieces = pieces
    }

    private static func placeholder(_ action: Substring) throws(SyntaxError) -> Piece {
        switch action.trimmingSpaces() {
        case ".src": return .source
        case ".dest": return .destination
        default:
            throw SyntaxError(
                message: "check_cmd supports only {{.src}} and {{.dest}}, found {{\(action)}}")
        }
    }

    /// The shell command for a stage file. Paths are inserted as they are (not quoted),
    /// like confd, so `nginx -t -c {{.src}}` works unchanged.
    public func command(stagePath: String, destinationPath: String) -> String {
        pieces.map { piece in
            switch piece {
            case .literal(let text): text
            case .source: stagePath
            case .destination: destinationPath
            }
        }.joined()
    }
}

extension Substring {
    /// Drops leading and trailing spaces, tabs and newlines.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        var trimmed = self
        while let first = trimmed.first, isSpace(first) { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, isSpace(last) { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
