import Platform

/// Why a template could not be parsed or executed. The description reads like Go's
/// `text/template` errors, so operators who know confd recognise them:
/// `template: NAME:LINE:COL: executing "NAME" at <CONTEXT>: MESSAGE`.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The text is not a valid template (lexing or parsing).
        case parse
        /// Evaluation failed: a function returned an error, a type did not fit, a key is missing.
        case execution
        /// A named limit (`TemplateLimits`) was exceeded.
        case limit
    }

    public var kind: Kind
    /// The template being executed (a `define` name while inside it), or parsed.
    public var templateName: String
    /// The name the source was parsed under, which positions refer to (Go `ParseName`).
    public var fileName: String
    /// 1-based line of the offending node, 0 when no node applies.
    public var line: Int
    /// 0-based byte column within the line, as Go's `ErrorContext` reports it.
    public var column: Int
    /// The source text of the node (truncated like Go: 20 bytes and "..."), may be empty.
    public var context: String
    /// The message proper, without location.
    public var message: String

    public init(
        kind: Kind, templateName: String, fileName: String? = nil, line: Int, column: Int,
        context: String, message: String
    ) {
        self.kind = kind
        self.templateName = templateName
        self.fileName = fileName ?? templateName
        self.line = line
        self.column = column
        self.context = context
        self.message = message
    }

    public var description: String {
        switch kind {
        case .parse:
            return "template: \(fileName):\(line):\(column): \(message)"
        case .execution, .limit:
            if line == 0 { return "template: \(templateName): \(message)" }
            return "template: \(fileName):\(line):\(column): executing "
                + "\(GoQuote.quote(templateName)) at <\(context)>: \(message)"
        }
    }
}

/// A failure reported by a template function; the executor wraps it as
/// `error calling NAME: MESSAGE` with the call's position (Go `evalCall`).
public struct TemplateFunctionError: Error, Equatable, Sendable {
    public var message: String
    /// True when the error is a limit, so the executor reports `TemplateError.Kind.limit`.
    public var isLimit: Bool

    public init(_ message: String, isLimit: Bool = false) {
        self.message = message
        self.isLimit = isLimit
    }
}
