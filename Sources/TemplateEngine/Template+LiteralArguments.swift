extension Template {
    /// The string literals passed to `function` anywhere in the set (every `define`d tree
    /// included, whether or not execution reaches the call), or `.unknown` as soon as one
    /// call passes anything else. A template that calls `service $name` may ask for any
    /// service, so its reader must fetch them all.
    public func literalArguments(of function: String) -> TemplateLiteralArguments {
        var literals = Set<String>()
        var isUnknown = false
        forEachCommand { command, isFirstInPipeline in
            for (index, argument) in command.arguments.enumerated() {
                guard case .identifier(_, let name) = argument, name == function else {
                    continue
                }
                // Only `{{function "literal"}}` as a pipeline's first command passes a
                // value known now: anywhere else the identifier is called with values the
                // execution supplies (or the wrong number of them, which fails the render).
                guard index == 0, isFirstInPipeline, command.arguments.count == 2,
                    case .string(_, _, let value) = command.arguments[1]
                else {
                    isUnknown = true
                    continue
                }
                literals.insert(value)
            }
        }
        return isUnknown ? .unknown : .literals(literals)
    }
}
