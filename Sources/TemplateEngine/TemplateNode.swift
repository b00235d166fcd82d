/// The parse tree (Go `text/template/parse` nodes). Positions are byte offsets into the
/// template source; `description` renders a node the way Go's `Node.String()` does, for
/// error contexts.
struct ListNode: Sendable {
    var nodes: [TemplateNode] = []
}

enum TemplateNode: Sendable {
    case text([UInt8])
    case action(position: Int, pipe: PipeNode)
    case ifNode(BranchNode)
    case rangeNode(BranchNode)
    case withNode(BranchNode)
    case template(TemplateCallNode)
    case breakNode(position: Int)
    case continueNode(position: Int)
}

/// `if`, `range` and `with`: a pipeline, a body and an optional `else` body.
struct BranchNode: Sendable {
    var position: Int
    var pipe: PipeNode
    var list: ListNode
    var elseList: ListNode?
}

struct TemplateCallNode: Sendable {
    var position: Int
    var name: String
    var pipe: PipeNode?
}

struct VariableDeclaration: Sendable {
    var position: Int
    var name: String
}

struct PipeNode: Sendable, CustomStringConvertible {
    var position: Int
    var isAssign = false
    var declarations: [VariableDeclaration] = []
    var commands: [CommandNode] = []

    var description: String {
        var text = ""
        if !declarations.isEmpty {
            text = declarations.map(\.name).joined(separator: ", ")
            text += isAssign ? " = " : " := "
        }
        return text + commands.map(\.description).joined(separator: " | ")
    }
}

struct CommandNode: Sendable, CustomStringConvertible {
    var position: Int
    var arguments: [ArgumentNode] = []

    var description: String {
        arguments.map { argument in
            if case .pipe(let pipe) = argument { return "(\(pipe))" }
            return argument.description
        }.joined(separator: " ")
    }
}

/// A number literal with the interpretations Go's `NumberNode` records.
struct NumberLiteral: Sendable {
    var position: Int
    var text: String
    var intValue: Int?
    var doubleValue: Double?
    /// The literal is a character constant like `'a'`.
    var isChar: Bool
}

indirect enum ArgumentNode: Sendable, CustomStringConvertible {
    case field(position: Int, names: [String])
    case chain(position: Int, node: ArgumentNode, names: [String])
    case identifier(position: Int, name: String)
    case pipe(PipeNode)
    case variable(position: Int, names: [String])
    case bool(position: Int, value: Bool)
    case dot(position: Int)
    case nilValue(position: Int)
    case number(NumberLiteral)
    case string(position: Int, quoted: String, value: String)

    var position: Int {
        switch self {
        case .field(let position, _), .chain(let position, _, _), .identifier(let position, _),
            .variable(let position, _), .bool(let position, _), .dot(let position),
            .nilValue(let position), .string(let position, _, _):
            position
        case .pipe(let pipe): pipe.position
        case .number(let literal): literal.position
        }
    }

    var description: String {
        switch self {
        case .field(_, let names): names.map { "." + $0 }.joined()
        case .chain(_, let node, let names):
            {
                if case .pipe(let pipe) = node { return "(\(pipe))" }
                return node.description
            }() + names.map { "." + $0 }.joined()
        case .identifier(_, let name): name
        case .pipe(let pipe): pipe.description
        case .variable(_, let names): names.joined(separator: ".")
        case .bool(_, let value): value ? "true" : "false"
        case .dot: "."
        case .nilValue: "nil"
        case .number(let literal): literal.text
        case .string(_, let quoted, _): quoted
        }
    }

    /// True for operands that cannot start a later pipeline stage (Go `checkPipeline`).
    var isNonExecutable: Bool {
        switch self {
        case .bool, .dot, .nilValue, .number, .string: true
        default: false
        }
    }
}
