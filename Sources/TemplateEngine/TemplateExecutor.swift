import Platform

/// The node being evaluated, for error positions (Go `state.at`).
enum ExecutionNode {
    case none
    case action(position: Int, pipe: PipeNode)
    case branch(keyword: String, BranchNode)
    case template(TemplateCallNode)
    case pipe(PipeNode)
    case command(CommandNode)
    case argument(ArgumentNode)

    var position: Int {
        switch self {
        case .none: 0
        case .action(let position, _): position
        case .branch(_, let branch): branch.position
        case .template(let call): call.position
        case .pipe(let pipe): pipe.position
        case .command(let command): command.position
        case .argument(let argument): argument.position
        }
    }

    /// Go's `Node.String()` for the node (bodies of control nodes abbreviated; Go's context
    /// is cut at 20 bytes anyway).
    var description: String {
        switch self {
        case .none: ""
        case .action(_, let pipe): "{{\(pipe)}}"
        case .branch(let keyword, let branch): "{{\(keyword) \(branch.pipe)}}"
        case .template(let call):
            if let pipe = call.pipe {
                "{{template \(GoQuote.quote(call.name)) \(pipe)}}"
            } else {
                "{{template \(GoQuote.quote(call.name))}}"
            }
        case .pipe(let pipe): pipe.description
        case .command(let command): command.description
        case .argument(let argument): argument.description
        }
    }
}

/// Walks a parse tree and writes output, following Go's `text/template/exec.go`.
struct TemplateExecutor {
    enum Flow {
        case normal
        case breakLoop
        case continueLoop
    }

    struct Variable {
        var name: String
        var value: TemplateValue
    }

    let trees: [String: TemplateTree]
    let functions: TemplateFunctionSet
    let context: TemplateContext
    var tree: TemplateTree
    var variables: [Variable]
    var node: ExecutionNode = .none
    var depth = 0
    /// Nested evaluation frames, bounded by `executionDepthMax`.
    var executionDepth = 0
    var rangeIterations = 0
    var output: [UInt8] = []
    let data: TemplateValue

    init(
        trees: [String: TemplateTree], functions: TemplateFunctionSet, context: TemplateContext,
        tree: TemplateTree, data: TemplateValue
    ) {
        self.trees = trees
        self.functions = functions
        self.context = context
        self.tree = tree
        self.data = data
        self.variables = [Variable(name: "$", value: data)]
    }

    mutating func run() throws(TemplateError) {
        _ = try walk(data, tree.root)
    }

    // MARK: errors

    func error(_ message: String, kind: TemplateError.Kind = .execution) -> TemplateError {
        if case .none = node {
            return TemplateError(
                kind: kind, templateName: tree.name, fileName: tree.parseName, line: 0,
                column: 0, context: "", message: message)
        }
        let (line, column) = TemplateParser.lineAndColumn(of: node.position, in: tree.source)
        var context = node.description
        if context.utf8.count > 20 {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: context.unicodeScalars.prefix(20))
            context = String(view) + "..."
        }
        return TemplateError(
            kind: kind, templateName: tree.name, fileName: tree.parseName, line: line,
            column: column, context: context, message: message)
    }

    func limitError(_ message: String) -> TemplateError {
        error(message, kind: .limit)
    }

    mutating func write(_ bytes: some Collection<UInt8>) throws(TemplateError) {
        guard output.count + bytes.count <= context.limits.outputBytesMax else {
            throw limitError(
                "output exceeds outputBytesMax (\(context.limits.outputBytesMax) bytes)")
        }
        output.append(contentsOf: bytes)
    }

    /// Enters one level of recursion; pair with `leave()`.
    mutating func enter() throws(TemplateError) {
        executionDepth += 1
        guard executionDepth <= context.limits.executionDepthMax else {
            executionDepth -= 1
            let limit = context.limits.executionDepthMax
            throw limitError("evaluation nests deeper than executionDepthMax (\(limit))")
        }
    }

    func rangeLimitError() -> TemplateError {
        let limit = context.limits.rangeIterationsMax
        return limitError("range iterations exceed rangeIterationsMax (\(limit))")
    }

    mutating func leave() {
        executionDepth -= 1
    }

    // MARK: variables

    func variableValue(_ name: String) throws(TemplateError) -> TemplateValue {
        for variable in variables.reversed() where variable.name == name { return variable.value }
        throw error("undefined variable: \(name)")
    }

    mutating func setVariable(_ name: String, _ value: TemplateValue) throws(TemplateError) {
        for index in variables.indices.reversed() where variables[index].name == name {
            variables[index].value = value
            return
        }
        throw error("undefined variable: \(name)")
    }

    mutating func popVariables(to mark: Int) {
        if variables.count > mark { variables.removeLast(variables.count - mark) }
    }

    // MARK: walking

    mutating func walk(_ dot: TemplateValue, _ list: ListNode) throws(TemplateError) -> Flow {
        for child in list.nodes {
            let flow = try walk(dot, child)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    mutating func walk(
        _ dot: TemplateValue, _ templateNode: TemplateNode
    ) throws(TemplateError)
        -> Flow
    {
        switch templateNode {
        case .text(let bytes):
            try write(bytes)
        case .action(let position, let pipe):
            node = .action(position: position, pipe: pipe)
            let value = try evalPipeline(dot, pipe)
            if pipe.declarations.isEmpty {
                node = .action(position: position, pipe: pipe)
                try write(GoFormatter.actionText(value).utf8)
            }
        case .ifNode(let branch):
            return try walkIfOrWith(dot, branch, keyword: "if")
        case .withNode(let branch):
            return try walkIfOrWith(dot, branch, keyword: "with")
        case .rangeNode(let branch):
            try walkRange(dot, branch)
        case .template(let call):
            try walkTemplate(dot, call)
        case .breakNode:
            return .breakLoop
        case .continueNode:
            return .continueLoop
        }
        return .normal
    }

    private mutating func walkIfOrWith(
        _ dot: TemplateValue, _ branch: BranchNode,
        keyword: String
    ) throws(TemplateError) -> Flow {
        node = .branch(keyword: keyword, branch)
        try enter()
        let mark = variables.count
        defer {
            popVariables(to: mark)
            leave()
        }
        let value = try evalPipeline(dot, branch.pipe)
        if value.isTrue {
            return try walk(keyword == "with" ? value : dot, branch.list)
        }
        if let elseList = branch.elseList { return try walk(dot, elseList) }
        return .normal
    }

    private mutating func walkRange(
        _ dot: TemplateValue, _ branch: BranchNode
    )
        throws(TemplateError)
    {
        node = .branch(keyword: "range", branch)
        try enter()
        let mark = variables.count
        defer {
            popVariables(to: mark)
            leave()
        }
        let value = try evalPipeline(dot, branch.pipe)
        let bodyMark = variables.count
        var items: [(index: TemplateValue, element: TemplateValue)] = []
        switch value {
        case .list(let elements):
            items = elements.enumerated().map { (.int($0.offset), $0.element) }
        case .map(let entries):
            items = entries.keys.sorted().map { (.string($0), entries[$0] ?? .null) }
        case .int(let count):
            if branch.pipe.declarations.count > 1 {
                throw error("can't use \(count) to iterate over more than one variable")
            }
            if count > context.limits.rangeIterationsMax {
                throw rangeLimitError()
            }
            items = (0..<max(count, 0)).map { (.int($0), .int($0)) }
        case .null:
            break
        default:
            throw error("range can't iterate over \(GoFormatter.sprint([value]))")
        }
        if items.isEmpty {
            if let elseList = branch.elseList { _ = try walk(dot, elseList) }
            return
        }
        let declarations = branch.pipe.declarations.count
        for item in items {
            rangeIterations += 1
            guard rangeIterations <= context.limits.rangeIterationsMax else {
                node = .branch(keyword: "range", branch)
                throw rangeLimitError()
            }
            if declarations > 0 { variables[variables.count - 1].value = item.element }
            if declarations > 1 { variables[variables.count - 2].value = item.index }
            let flow = try walk(item.element, branch.list)
            popVariables(to: bodyMark)
            if case .breakLoop = flow { break }
        }
    }

    private mutating func walkTemplate(
        _ dot: TemplateValue, _ call: TemplateCallNode
    )
        throws(TemplateError)
    {
        node = .template(call)
        guard let target = trees[call.name] else {
            throw error("template \(GoQuote.quote(call.name)) not defined")
        }
        guard depth < context.limits.templateCallDepthMax else {
            throw limitError(
                "exceeded maximum template depth (\(context.limits.templateCallDepthMax))")
        }
        try enter()
        defer { leave() }
        var newDot = TemplateValue.null
        if let pipe = call.pipe { newDot = try evalPipeline(dot, pipe) }
        let savedTree = tree
        let savedVariables = variables
        tree = target
        variables = [Variable(name: "$", value: newDot)]
        depth += 1
        defer {
            depth -= 1
            tree = savedTree
            variables = savedVariables
        }
        _ = try walk(newDot, target.root)
    }
}
