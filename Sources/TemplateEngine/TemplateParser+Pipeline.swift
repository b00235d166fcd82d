import Platform

/// Pipelines, commands and operands (Go `parse.go` `pipeline`, `command`, `operand`, `term`).
extension TemplateParser {
    mutating func pipeline(
        context: String, end: TemplateToken.Kind
    ) throws(TemplateError)
        -> PipeNode
    {
        var pipe = PipeNode(position: peekNonSpaceToken().position)
        try parseDeclarations(into: &pipe, context: context)
        while true {
            let token = nextNonSpaceToken()
            if token.kind == end {
                try checkPipeline(pipe, context: context, at: token.position)
                return pipe
            }
            switch token.kind {
            case .bool, .charConstant, .dot, .field, .identifier, .number, .nilValue,
                .rawString, .string, .variable, .leftParen:
                backupToken()
                pipe.commands.append(try command())
            default:
                throw error(
                    at: token.position,
                    "unexpected \(TemplateParser.describe(token)) in \(context)")
            }
        }
    }

    /// `$x :=`, `$x =`, or `$i, $v :=` (range only) at the start of a pipeline.
    private mutating func parseDeclarations(
        into pipe: inout PipeNode, context: String
    )
        throws(TemplateError)
    {
        while true {
            let start = tokenIndex
            let variable = peekNonSpaceToken()
            guard variable.kind == .variable else { return }
            nextToken()
            let after = peekToken()
            let following = peekNonSpaceToken()
            switch following.kind {
            case .declare, .assign:
                pipe.isAssign = following.kind == .assign
                nextNonSpaceToken()
                pipe.declarations.append(
                    VariableDeclaration(position: variable.position, name: variable.text))
                declare(variable.text)
                return
            case .char where following.text == ",":
                nextNonSpaceToken()
                pipe.declarations.append(
                    VariableDeclaration(position: variable.position, name: variable.text))
                declare(variable.text)
                if context == "range" && pipe.declarations.count < 2 {
                    let kind = peekNonSpaceToken().kind
                    if kind == .variable || kind == .rightDelim || kind == .rightParen {
                        continue
                    }
                    throw error(at: following.position, "range can only initialize variables")
                }
                throw error(at: following.position, "too many declarations in \(context)")
            default:
                _ = after
                tokenIndex = start
                return
            }
        }
    }

    private func checkPipeline(
        _ pipe: PipeNode, context: String, at position: Int
    )
        throws(TemplateError)
    {
        guard !pipe.commands.isEmpty else {
            throw error(at: position, "missing value for \(context)")
        }
        for (offset, command) in pipe.commands.enumerated().dropFirst() {
            if let first = command.arguments.first, first.isNonExecutable {
                throw error(
                    at: command.position, "non executable command in pipeline stage \(offset + 1)")
            }
        }
    }

    private mutating func command() throws(TemplateError) -> CommandNode {
        var command = CommandNode(position: peekNonSpaceToken().position)
        while true {
            _ = peekNonSpaceToken()
            if let operand = try operand() { command.arguments.append(operand) }
            let token = nextToken()
            switch token.kind {
            case .space: continue
            case .rightDelim, .rightParen: backupToken()
            case .pipe: break
            default:
                throw error(
                    at: token.position, "unexpected \(TemplateParser.describe(token)) in operand")
            }
            break
        }
        guard !command.arguments.isEmpty else {
            throw error(at: command.position, "empty command")
        }
        return command
    }

    private mutating func operand() throws(TemplateError) -> ArgumentNode? {
        guard let node = try term() else { return nil }
        guard peekToken().kind == .field else { return node }
        let chainPosition = peekToken().position
        var names: [String] = []
        while peekToken().kind == .field { names.append(String(nextToken().text.dropFirst())) }
        switch node {
        case .field(_, let first):
            return .field(position: chainPosition, names: first + names)
        case .variable(_, let first):
            return .variable(position: chainPosition, names: first + names)
        case .bool, .string, .number, .nilValue, .dot:
            throw error(
                at: chainPosition, "unexpected . after term \(GoQuote.quote(node.description))")
        default:
            return .chain(position: chainPosition, node: node, names: names)
        }
    }

    private mutating func term() throws(TemplateError) -> ArgumentNode? {
        let token = nextNonSpaceToken()
        switch token.kind {
        case .identifier:
            guard hasFunction(token.text) else {
                throw error(at: token.position, "function \(GoQuote.quote(token.text)) not defined")
            }
            return .identifier(position: token.position, name: token.text)
        case .dot: return .dot(position: token.position)
        case .nilValue: return .nilValue(position: token.position)
        case .variable:
            let names = token.text.split(separator: ".", omittingEmptySubsequences: false)
                .map(String.init)
            guard isDeclared(names[0]) else {
                throw error(at: token.position, "undefined variable \(GoQuote.quote(names[0]))")
            }
            return .variable(position: token.position, names: names)
        case .field:
            return .field(position: token.position, names: [String(token.text.dropFirst())])
        case .bool: return .bool(position: token.position, value: token.text == "true")
        case .number, .charConstant:
            return .number(try numberLiteral(token))
        case .leftParen:
            try enterParenthesis(at: token.position)
            defer { leaveParenthesis() }
            return .pipe(try pipeline(context: "parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            guard let value = GoQuote.unquote(token.text) else {
                throw error(at: token.position, "invalid syntax")
            }
            return .string(position: token.position, quoted: token.text, value: value)
        default:
            backupToken()
            return nil
        }
    }

    /// Go's `newNumber`: a character constant, an int (any base, `_` separators) that also
    /// reads as a float, or a float; an integer literal too big for int64 is an overflow.
    private func numberLiteral(_ token: TemplateToken) throws(TemplateError) -> NumberLiteral {
        let text = token.text
        if token.kind == .charConstant {
            guard let rune = GoQuote.unquoteChar(text) else {
                throw error(at: token.position, "malformed character constant: \(text)")
            }
            return NumberLiteral(
                position: token.position, text: text, intValue: rune, doubleValue: Double(rune),
                isChar: true)
        }
        if let value = TemplateParser.parseGoInt(text) {
            return NumberLiteral(
                position: token.position, text: text, intValue: value,
                doubleValue: Double(value), isChar: false)
        }
        let cleaned = String(text.filter { $0 != "_" })
        let isHex =
            cleaned.lowercased().hasPrefix("0x") || cleaned.lowercased().hasPrefix("-0x")
            || cleaned.lowercased().hasPrefix("+0x")
        if !isHex, let value = Double(cleaned), value.isFinite {
            let looksFloat = text.contains(where: { ".eE".contains($0) })
            guard looksFloat else {
                throw error(at: token.position, "integer overflow: \(GoQuote.quote(text))")
            }
            let integral = value == value.rounded() && abs(value) < 9.2e18
            return NumberLiteral(
                position: token.position, text: text, intValue: integral ? Int(value) : nil,
                doubleValue: value, isChar: false)
        }
        throw error(at: token.position, "illegal number syntax: \(GoQuote.quote(text))")
    }

    /// `strconv.ParseInt(text, 0, 64)`: sign, `0x`/`0o`/`0b`/leading-`0` octal, `_` only
    /// with a base prefix or between digits.
    static func parseGoInt(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") {
            radix = 16
            body = body.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            radix = 8
            body = body.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            radix = 2
            body = body.dropFirst(2)
        } else if body.count > 1 && body.first == "0" {
            radix = 8
            body = body.dropFirst()
        }
        if body.hasPrefix("_") && radix != 10 { body = body.dropFirst() }
        guard !body.isEmpty, !body.hasPrefix("_"), !body.hasSuffix("_"), !body.contains("__")
        else { return nil }
        guard let magnitude = UInt64(String(body.filter { $0 != "_" }), radix: radix)
        else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int(magnitude)
    }
}
