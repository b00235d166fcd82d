import Platform

/// A parsed template body with the source it came from (for error positions).
struct TemplateTree: Sendable {
    var name: String
    /// The name given to `Template.parse`, which Go reports in positions (`ParseName`).
    var parseName: String
    var source: [UInt8]
    var root: ListNode
}

/// Recursive-descent parser over lexer tokens, following Go's `text/template/parse/parse.go`:
/// same grammar, same variable scoping checks, same function-existence check at parse time.
struct TemplateParser {
    private let parseName: String
    private let source: [UInt8]
    private let tokens: [TemplateToken]
    private let functionNames: Set<String>
    private let nestingDepthMax: Int
    private var index = 0
    private var variables: [String] = ["$"]
    private var rangeDepth = 0
    private var nestingDepth = 0
    private(set) var definitions: [TemplateTree] = []

    private enum Item {
        case node(TemplateNode)
        case end(position: Int)
        case elseItem(position: Int)
    }

    init(
        parseName: String, source: [UInt8], tokens: [TemplateToken], functionNames: Set<String>,
        nestingDepthMax: Int
    ) {
        self.parseName = parseName
        self.source = source
        self.tokens = tokens
        self.functionNames = functionNames
        self.nestingDepthMax = nestingDepthMax
    }

    /// Parses the whole input: the top-level list, collecting `define` and `block` bodies.
    mutating func parseRoot() throws(TemplateError) -> ListNode {
        var root = ListNode()
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delimiter = index
                next()
                if let token = Optional(nextNonSpace()), token.kind == .keyword,
                    token.text == "define"
                {
                    try parseDefinition()
                    continue
                }
                index = delimiter
            }
            switch try textOrAction() {
            case .node(let node): root.nodes.append(node)
            case .end(let position): throw error(at: position, "unexpected {{end}}")
            case .elseItem(let position): throw error(at: position, "unexpected {{else}}")
            }
        }
        return root
    }

    // MARK: token access

    private func peek() -> TemplateToken { tokens[index] }

    @discardableResult
    private mutating func next() -> TemplateToken {
        let token = tokens[index]
        if token.kind != .eof { index += 1 }
        return token
    }

    private mutating func nextNonSpace() -> TemplateToken {
        var token = next()
        while token.kind == .space { token = next() }
        return token
    }

    private mutating func peekNonSpace() -> TemplateToken {
        while tokens[index].kind == .space { index += 1 }
        return tokens[index]
    }

    private mutating func backup() {
        index -= 1
    }

    private mutating func expect(
        _ kind: TemplateToken.Kind, _ context: String
    )
        throws(TemplateError) -> TemplateToken
    {
        let token = nextNonSpace()
        guard token.kind == kind else { throw unexpected(token, context) }
        return token
    }

    // Access for the pipeline extension (TemplateParser+Pipeline.swift).
    var tokenIndex: Int {
        get { index }
        set { index = newValue }
    }
    func peekToken() -> TemplateToken { peek() }
    @discardableResult mutating func nextToken() -> TemplateToken { next() }
    @discardableResult mutating func nextNonSpaceToken() -> TemplateToken { nextNonSpace() }
    mutating func peekNonSpaceToken() -> TemplateToken { peekNonSpace() }
    mutating func backupToken() { backup() }
    mutating func declare(_ name: String) { variables.append(name) }
    func isDeclared(_ name: String) -> Bool { variables.contains(name) }
    func hasFunction(_ name: String) -> Bool { functionNames.contains(name) }
    mutating func enterParenthesis(at position: Int) throws(TemplateError) {
        try enterNesting(at: position)
    }
    mutating func leaveParenthesis() { nestingDepth -= 1 }

    // MARK: errors

    func error(at position: Int, _ message: String) -> TemplateError {
        let (line, column) = TemplateParser.lineAndColumn(of: position, in: source)
        return TemplateError(
            kind: .parse, templateName: parseName, line: line, column: column, context: "",
            message: message)
    }

    private func unexpected(_ token: TemplateToken, _ context: String) -> TemplateError {
        error(at: token.position, "unexpected \(TemplateParser.describe(token)) in \(context)")
    }

    /// Go's `item.String()`.
    static func describe(_ token: TemplateToken) -> String {
        switch token.kind {
        case .eof: return "EOF"
        case .keyword: return "<\(token.text)>"
        default:
            if token.text.unicodeScalars.count > 10 {
                var prefix = String.UnicodeScalarView()
                prefix.append(contentsOf: token.text.unicodeScalars.prefix(10))
                return GoQuote.quote(String(prefix)) + "..."
            }
            return GoQuote.quote(token.text)
        }
    }

    static func lineAndColumn(of position: Int, in source: [UInt8]) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for offset in 0..<min(position, source.count) where source[offset] == 0x0a {
            line += 1
            lineStart = offset + 1
        }
        return (line, position - lineStart)
    }

    private mutating func enterNesting(at position: Int) throws(TemplateError) {
        nestingDepth += 1
        guard nestingDepth <= nestingDepthMax else {
            throw TemplateError(
                kind: .limit, templateName: parseName,
                line: TemplateParser.lineAndColumn(of: position, in: source).0,
                column: TemplateParser.lineAndColumn(of: position, in: source).1, context: "",
                message: "nesting depth exceeds nestingDepthMax (\(nestingDepthMax))")
        }
    }

    // MARK: definitions

    private mutating func parseDefinition() throws(TemplateError) {
        let context = "define clause"
        let nameToken = nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else {
            throw unexpected(nameToken, context)
        }
        guard let name = GoQuote.unquote(nameToken.text) else {
            throw error(at: nameToken.position, "invalid syntax")
        }
        _ = try expect(.rightDelim, context)
        let body = try parseSeparateBody(context: context)
        try add(TemplateTree(name: name, parseName: parseName, source: source, root: body))
    }

    /// A `define` or `block` body: its own variable scope starting at `$`.
    private mutating func parseSeparateBody(context: String) throws(TemplateError) -> ListNode {
        let savedVariables = variables
        let savedRangeDepth = rangeDepth
        variables = ["$"]
        rangeDepth = 0
        defer {
            variables = savedVariables
            rangeDepth = savedRangeDepth
        }
        let (list, end) = try itemList()
        switch end {
        case .end: return list
        case .elseItem(let position): throw error(at: position, "unexpected {{else}} in \(context)")
        case .node: preconditionFailure("itemList ends only at end or else")
        }
    }

    /// Go's `Tree.add`: an empty body never replaces a non-empty one; two non-empty bodies
    /// of one name are an error.
    mutating func add(_ tree: TemplateTree) throws(TemplateError) {
        if let existing = definitions.firstIndex(where: { $0.name == tree.name }) {
            if TemplateParser.isEmpty(definitions[existing].root) {
                definitions[existing] = tree
            } else if !TemplateParser.isEmpty(tree.root) {
                throw TemplateError(
                    kind: .parse, templateName: parseName, line: 0, column: 0, context: "",
                    message: "template: multiple definition of template \(GoQuote.quote(tree.name))"
                )
            }
            return
        }
        definitions.append(tree)
    }

    /// Go's `IsEmptyTree`: only whitespace text (and comments).
    static func isEmpty(_ list: ListNode) -> Bool {
        for node in list.nodes {
            guard case .text(let bytes) = node else { return false }
            for byte in bytes where !(byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d)
            {
                return false
            }
        }
        return true
    }

    // MARK: lists and actions

    private mutating func itemList() throws(TemplateError) -> (ListNode, Item) {
        var list = ListNode()
        while peekNonSpace().kind != .eof {
            let item = try textOrAction()
            switch item {
            case .node(let node): list.nodes.append(node)
            case .end, .elseItem: return (list, item)
            }
        }
        throw error(at: peek().position, "unexpected EOF")
    }

    private mutating func textOrAction() throws(TemplateError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text: return .node(.text(Array(token.text.utf8)))
        case .leftDelim: return try action()
        default: throw unexpected(token, "input")
        }
    }

    private mutating func action() throws(TemplateError) -> Item {
        let token = nextNonSpace()
        if token.kind == .keyword {
            switch token.text {
            case "block": return .node(try blockControl())
            case "break", "continue": return .node(try loopControl(token))
            case "else": return try elseControl()
            case "end": return .end(position: try expect(.rightDelim, "end").position)
            case "if": return .node(.ifNode(try parseControl("if")))
            case "range": return .node(.rangeNode(try parseControl("range")))
            case "template": return .node(try templateControl())
            case "with": return .node(.withNode(try parseControl("with")))
            default: throw error(at: token.position, "unexpected \(token.text)")
            }
        }
        backup()
        let position = peek().position
        let pipe = try pipeline(context: "command", end: .rightDelim)
        return .node(.action(position: position, pipe: pipe))
    }

    private mutating func loopControl(
        _ keyword: TemplateToken
    ) throws(TemplateError)
        -> TemplateNode
    {
        let token = nextNonSpace()
        guard token.kind == .rightDelim else { throw unexpected(token, "{{\(keyword.text)}}") }
        guard rangeDepth > 0 else {
            throw error(at: keyword.position, "{{\(keyword.text)}} outside {{range}}")
        }
        return keyword.text == "break"
            ? .breakNode(position: keyword.position) : .continueNode(position: keyword.position)
    }

    private mutating func elseControl() throws(TemplateError) -> Item {
        let peeked = peekNonSpace()
        if peeked.kind == .keyword && (peeked.text == "if" || peeked.text == "with") {
            return .elseItem(position: peeked.position)
        }
        return .elseItem(position: try expect(.rightDelim, "else").position)
    }

    private mutating func parseControl(_ context: String) throws(TemplateError) -> BranchNode {
        let savedVariables = variables.count
        defer { variables.removeLast(variables.count - savedVariables) }
        let pipe = try pipeline(context: context, end: .rightDelim)
        try enterNesting(at: pipe.position)
        defer { nestingDepth -= 1 }
        if context == "range" { rangeDepth += 1 }
        let (list, next) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: ListNode?
        if case .elseItem = next {
            let token = peek()
            if token.kind == .keyword && token.text == context && context != "range" {
                self.next()
                let nested = try parseControl(context)
                elseList = ListNode(nodes: [context == "if" ? .ifNode(nested) : .withNode(nested)])
            } else {
                let (list, end) = try itemList()
                if case .elseItem(let position) = end {
                    throw error(at: position, "expected end; found {{else}}")
                }
                elseList = list
            }
        }
        return BranchNode(position: pipe.position, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func templateName(
        _ token: TemplateToken, _ context: String
    )
        throws(TemplateError) -> String
    {
        guard token.kind == .string || token.kind == .rawString else {
            throw unexpected(token, context)
        }
        guard let name = GoQuote.unquote(token.text) else {
            throw error(at: token.position, "invalid syntax")
        }
        return name
    }

    private mutating func templateControl() throws(TemplateError) -> TemplateNode {
        let context = "template clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        var pipe: PipeNode?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context: context, end: .rightDelim)
        }
        return .template(TemplateCallNode(position: token.position, name: name, pipe: pipe))
    }

    private mutating func blockControl() throws(TemplateError) -> TemplateNode {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        let pipe = try pipeline(context: context, end: .rightDelim)
        try enterNesting(at: token.position)
        defer { nestingDepth -= 1 }
        let body = try parseSeparateBody(context: context)
        try add(TemplateTree(name: name, parseName: parseName, source: source, root: body))
        return .template(TemplateCallNode(position: token.position, name: name, pipe: pipe))
    }
}
