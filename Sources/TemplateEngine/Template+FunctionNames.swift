/// Which functions a template set calls, found by walking its parse trees. `roost confd`
/// asks this to learn whether a template reads the service catalog (`service`, `services`,
/// `nodes`) and so whether a render must fetch it and watch it.
extension Template {
    /// Every function identifier called anywhere in the set (all `define`d trees
    /// included), whether or not execution would reach it.
    public var functionNames: Set<String> {
        var names = Set<String>()
        for tree in trees.values { Self.collect(tree.root, into: &names) }
        return names
    }

    private static func collect(_ list: ListNode, into names: inout Set<String>) {
        for node in list.nodes {
            switch node {
            case .text, .breakNode, .continueNode: continue
            case .action(_, let pipe): collect(pipe, into: &names)
            case .ifNode(let branch), .rangeNode(let branch), .withNode(let branch):
                collect(branch.pipe, into: &names)
                collect(branch.list, into: &names)
                if let elseList = branch.elseList { collect(elseList, into: &names) }
            case .template(let call):
                if let pipe = call.pipe { collect(pipe, into: &names) }
            }
        }
    }

    private static func collect(_ pipe: PipeNode, into names: inout Set<String>) {
        for command in pipe.commands {
            for argument in command.arguments { collect(argument, into: &names) }
        }
    }

    private static func collect(_ argument: ArgumentNode, into names: inout Set<String>) {
        switch argument {
        case .identifier(_, let name): names.insert(name)
        case .pipe(let pipe): collect(pipe, into: &names)
        case .chain(_, let node, _): collect(node, into: &names)
        case .field, .variable, .bool, .dot, .nilValue, .number, .string: return
        }
    }
}
