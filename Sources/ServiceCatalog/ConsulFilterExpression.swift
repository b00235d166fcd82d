/// The syntax tree of a filter (go-bexpr `ast.go`). `and` / `or` hold their operands in a
/// flat list: bexpr nests them to the right, which evaluates the same (left to right, short
/// circuit) but would make evaluation recurse once per operand.
indirect enum ConsulFilterExpression: Sendable {
    case or([ConsulFilterExpression])
    case and([ConsulFilterExpression])
    case not(ConsulFilterExpression)
    case match(ConsulFilterMatch)

    /// The number of match expressions (bexpr `validate` counts the same leaves).
    var matchCount: Int {
        switch self {
        case .or(let operands), .and(let operands):
            operands.reduce(0) { $0 + $1.matchCount }
        case .not(let operand):
            operand.matchCount
        case .match:
            1
        }
    }

    /// The match expressions, left to right.
    var matches: [ConsulFilterMatch] {
        switch self {
        case .or(let operands), .and(let operands): operands.flatMap(\.matches)
        case .not(let operand): operand.matches
        case .match(let match): [match]
        }
    }

    /// The tree with `transform` applied to every match expression.
    func mapMatches<Failure: Error>(
        _ transform: (ConsulFilterMatch) throws(Failure) -> ConsulFilterMatch
    ) throws(Failure) -> ConsulFilterExpression {
        switch self {
        case .or(let operands):
            var mapped: [ConsulFilterExpression] = []
            for operand in operands { mapped.append(try operand.mapMatches(transform)) }
            return .or(mapped)
        case .and(let operands):
            var mapped: [ConsulFilterExpression] = []
            for operand in operands { mapped.append(try operand.mapMatches(transform)) }
            return .and(mapped)
        case .not(let operand):
            return .not(try operand.mapMatches(transform))
        case .match(let match):
            return .match(try transform(match))
        }
    }
}
