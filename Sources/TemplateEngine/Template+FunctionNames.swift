/// Which functions a template set calls, found by walking its parse trees. `roost confd`
/// asks this to learn whether a template reads the service catalog (`service`, `services`,
/// `nodes`) and so whether a render must fetch it and watch it.
extension Template {
    /// Every function identifier called anywhere in the set (all `define`d trees
    /// included), whether or not execution would reach it.
    public var functionNames: Set<String> {
        var names = Set<String>()
        forEachCommand { command, _ in
            for case .identifier(_, let name) in command.arguments { names.insert(name) }
        }
        return names
    }

    /// Calls `visit` with every command of every tree in the set, those in nested
    /// (parenthesized) pipelines included, and whether it is the first command of its
    /// pipeline: a later one also receives the previous command's result as its last
    /// argument (Go `text/template` "Pipelines").
    func forEachCommand(_ visit: (CommandNode, _ isFirstInPipeline: Bool) -> Void) {
        for tree in trees.values { Self.walk(tree.root, visit) }
    }

    private static func walk(_ list: ListNode, _ visit: (CommandNode, Bool) -> Void) {
        for node in list.nodes {
            switch node {
            case .text, .breakNode, .continueNode: continue
            case .action(_, let pipe): walk(pipe, visit)
            case .ifNode(let branch), .rangeNode(let branch), .withNode(let branch):
                walk(branch.pipe, visit)
                walk(branch.list, visit)
                if let elseList = branch.elseList { walk(elseList, visit) }
            case .template(let call):
                if let pipe = call.pipe { walk(pipe, visit) }
            }
        }
    }

    private static func walk(_ pipe: PipeNode, _ visit: (CommandNode, Bool) -> Void) {
        for (index, command) in pipe.commands.enumerated() {
            visit(command, index == 0)
            for argument in command.arguments { walk(argument, visit) }
        }
    }

    private static func walk(_ argument: ArgumentNode, _ visit: (CommandNode, Bool) -> Void) {
        switch argument {
        case .pipe(let pipe): walk(pipe, visit)
        case .chain(let position, .identifier(let at, let name), _):
            // `service.Name` calls `service` with no arguments, then takes the field.
            visit(
                CommandNode(position: position, arguments: [.identifier(position: at, name: name)]),
                false)
        case .chain(_, let node, _): walk(node, visit)
        case .identifier, .field, .variable, .bool, .dot, .nilValue, .number, .string: return
        }
    }
}
