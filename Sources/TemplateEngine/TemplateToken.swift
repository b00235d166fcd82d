/// One lexical item of a template (Go `text/template/parse` `item`).
struct TemplateToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case text
        case leftDelim
        case rightDelim
        case space
        case identifier
        case keyword
        case variable
        case field
        case dot
        case string
        case rawString
        case number
        case charConstant
        case bool
        case nilValue
        case pipe
        case leftParen
        case rightParen
        case declare
        case assign
        case char
        case eof
    }

    var kind: Kind
    /// The source text (for `text`, the bytes after trimming).
    var text: String
    /// Byte offset of the token in the template source.
    var position: Int
}
