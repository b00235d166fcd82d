import Platform

/// Pipelines, commands, fields and calls (Go `exec.go` `evalPipeline` .. `evalArg`).
extension TemplateExecutor {
    mutating func evalPipeline(
        _ dot: TemplateValue, _ pipe: PipeNode
    ) throws(TemplateError)
        -> TemplateValue
    {
        node = .pipe(pipe)
        try enter()
        defer { leave() }
        var value: TemplateValue?
        for command in pipe.commands {
            value = try evalCommand(dot, command, final: value)
        }
        let result = value ?? .null
        for declaration in pipe.declarations {
            if pipe.isAssign {
                try setVariable(declaration.name, result)
            } else {
                variables.append(Variable(name: declaration.name, value: result))
            }
        }
        return result
    }

    private func notAFunction(
        _ arguments: [ArgumentNode], final: TemplateValue?
    )
        throws(TemplateError)
    {
        if arguments.count > 1 || final != nil {
            throw error("can't give argument to non-function \(arguments[0].description)")
        }
    }

    private mutating func evalCommand(
        _ dot: TemplateValue, _ command: CommandNode, final: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        let first = command.arguments[0]
        switch first {
        case .field(_, let names):
            node = .argument(first)
            return try evalFieldChain(
                dot, receiver: dot, first, names[...], arguments: command.arguments, final: final)
        case .chain:
            return try evalChain(dot, first, arguments: command.arguments, final: final)
        case .identifier(_, let name):
            return try evalFunction(
                dot, name: name, identifier: first, callNode: .command(command),
                arguments: command.arguments, final: final)
        case .pipe(let pipe):
            try notAFunction(command.arguments, final: final)
            return try evalPipeline(dot, pipe)
        case .variable:
            return try evalVariable(dot, first, arguments: command.arguments, final: final)
        default:
            break
        }
        node = .argument(first)
        try notAFunction(command.arguments, final: final)
        switch first {
        case .bool(_, let value): return .bool(value)
        case .dot: return dot
        case .nilValue: throw error("nil is not a command")
        case .number(let literal): return try idealConstant(literal)
        case .string(_, _, let value): return .string(value)
        default: throw error("can't evaluate command \(GoQuote.quote(first.description))")
        }
    }

    /// A number literal without a target type: a float if it is spelled like one, else int.
    mutating func idealConstant(_ literal: NumberLiteral) throws(TemplateError) -> TemplateValue {
        node = .argument(.number(literal))
        if literal.isChar, let value = literal.intValue { return .int(value) }
        let lower = literal.text.lowercased()
        let isHexInt = lower.hasPrefix("0x") && !lower.contains("p")
        if let value = literal.doubleValue, !isHexInt,
            literal.text.contains(where: { ".eEpP".contains($0) })
        {
            return .double(value)
        }
        if let value = literal.intValue { return .int(value) }
        throw error("\(literal.text) overflows int")
    }

    private mutating func evalChain(
        _ dot: TemplateValue, _ chain: ArgumentNode, arguments: [ArgumentNode]?,
        final: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        guard case .chain(_, let base, let names) = chain else {
            preconditionFailure("evalChain needs a chain node")
        }
        node = .argument(chain)
        if case .nilValue = base {
            throw error("indirection through explicit nil in \(chain.description)")
        }
        // Go leaves the error position at the last node the receiver evaluated.
        let receiver = try evalArgument(dot, .any, base)
        return try evalFieldChain(
            dot, receiver: receiver, chain, names[...], arguments: arguments ?? [chain],
            final: final)
    }

    private mutating func evalVariable(
        _ dot: TemplateValue, _ variable: ArgumentNode, arguments: [ArgumentNode]?,
        final: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        guard case .variable(_, let names) = variable else {
            preconditionFailure("evalVariable needs a variable node")
        }
        node = .argument(variable)
        let value = try variableValue(names[0])
        if names.count == 1 {
            if let arguments { try notAFunction(arguments, final: final) }
            return value
        }
        return try evalFieldChain(
            dot, receiver: value, variable, names[1...], arguments: arguments ?? [variable],
            final: final)
    }

    private mutating func evalFieldChain(
        _ dot: TemplateValue, receiver start: TemplateValue, _ fieldNode: ArgumentNode,
        _ names: ArraySlice<String>, arguments: [ArgumentNode], final: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        var receiver = start
        for name in names.dropLast() {
            receiver = try evalField(
                dot, name, fieldNode, arguments: [fieldNode], final: nil, receiver: receiver)
        }
        guard let last = names.last else { return receiver }
        return try evalField(
            dot, last, fieldNode, arguments: arguments, final: final, receiver: receiver)
    }

    /// `.Name` on a value: a method (time), a struct field, or a map key.
    private mutating func evalField(
        _ dot: TemplateValue, _ name: String, _ fieldNode: ArgumentNode,
        arguments: [ArgumentNode], final: TemplateValue?, receiver: TemplateValue
    ) throws(TemplateError) -> TemplateValue {
        let hasArguments = arguments.count > 1 || final != nil
        switch receiver {
        case .null:
            return .null
        case .time(let time):
            guard TemplateTime.methodArity[name] != nil else { break }
            var values: [TemplateValue] = []
            for argument in arguments.dropFirst() {
                values.append(try evalArgument(dot, .any, argument))
            }
            if let final { values.append(final) }
            node = .argument(fieldNode)
            switch time.callMethod(name, values) {
            case .value(let value): return value
            case .failure(let message): throw error(message)
            case .notAMethod: break
            }
        case .record(let record):
            guard let value = record[name] else { break }
            if hasArguments {
                throw error("\(name) has arguments but cannot be invoked as function")
            }
            return value
        case .map(let entries):
            if hasArguments { throw error("\(name) is not a method but has arguments") }
            return entries[name] ?? .null
        default:
            break
        }
        throw error("can't evaluate field \(name) in type \(receiver.goTypeName)")
    }

    // MARK: functions

    private mutating func evalFunction(
        _ dot: TemplateValue, name: String, identifier: ArgumentNode, callNode: ExecutionNode,
        arguments: [ArgumentNode]?, final: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        node = .argument(identifier)
        guard let function = functions[name] else {
            throw error("\(GoQuote.quote(name)) is not a defined function")
        }
        let argumentNodes = Array((arguments ?? [identifier]).dropFirst())
        let count = argumentNodes.count + (final == nil ? 0 : 1)
        if function.variadic != nil {
            if count < function.parameters.count {
                throw error(
                    "wrong number of args for \(name): want at least "
                        + "\(function.parameters.count) got \(argumentNodes.count)")
            }
        } else if count != function.parameters.count {
            throw error(
                "wrong number of args for \(name): want \(function.parameters.count) got \(count)")
        }
        if function.isShortCircuit {
            return try evalShortCircuit(dot, name: name, argumentNodes, final: final)
        }
        var values: [TemplateValue] = []
        values.reserveCapacity(count)
        for (index, argument) in argumentNodes.enumerated() {
            values.append(try evalArgument(dot, function.parameter(at: index), argument))
        }
        if let final {
            values.append(try validate(final, function.parameter(at: argumentNodes.count)))
        }
        do {
            return try function.body(values, context)
        } catch {
            node = callNode
            throw self.error(
                "error calling \(name): \(error.message)", kind: error.isLimit ? .limit : .execution
            )
        }
    }

    /// `and` and `or` evaluate arguments left to right and stop at the first false (true)
    /// one, returning that operand itself (Go ≥ 1.18).
    private mutating func evalShortCircuit(
        _ dot: TemplateValue, name: String, _ argumentNodes: [ArgumentNode],
        final: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        let stopWhen = name == "or"
        var value = TemplateValue.null
        for argument in argumentNodes {
            value = try evalArgument(dot, .any, argument)
            if value.isTrue == stopWhen { return value }
        }
        if let final { value = final }
        return value
    }

    /// Go `evalArg`: an operand converted to the parameter type.
    mutating func evalArgument(
        _ dot: TemplateValue, _ type: TemplateParameter, _ argument: ArgumentNode
    ) throws(TemplateError) -> TemplateValue {
        node = .argument(argument)
        switch argument {
        case .dot:
            return try validate(dot, type)
        case .nilValue:
            guard type.canBeNil else { throw error("cannot assign nil to \(type.goTypeName)") }
            return .null
        case .field(_, let names):
            let value = try evalFieldChain(
                dot, receiver: dot, argument, names[...], arguments: [argument], final: nil)
            return try validate(value, type)
        case .variable:
            return try validate(try evalVariable(dot, argument, arguments: nil, final: nil), type)
        case .pipe(let pipe):
            return try validate(try evalPipeline(dot, pipe), type)
        case .identifier(_, let name):
            let value = try evalFunction(
                dot, name: name, identifier: argument, callNode: .argument(argument),
                arguments: nil, final: nil)
            return try validate(value, type)
        case .chain:
            return try validate(try evalChain(dot, argument, arguments: nil, final: nil), type)
        case .bool(_, let value):
            if type == .bool || type == .any { return .bool(value) }
            throw error(literalMismatch(type, argument))
        case .string(_, _, let value):
            if type == .string || type == .any { return .string(value) }
            throw error(literalMismatch(type, argument))
        case .number(let literal):
            return try numberArgument(literal, type, argument)
        }
    }

    private mutating func numberArgument(
        _ literal: NumberLiteral, _ type: TemplateParameter, _ argument: ArgumentNode
    ) throws(TemplateError) -> TemplateValue {
        switch type {
        case .any: return try idealConstant(literal)
        case .int:
            if let value = literal.intValue { return .int(value) }
        case .double:
            if let value = literal.doubleValue { return .double(value) }
        default: break
        }
        throw error(literalMismatch(type, argument))
    }

    private func literalMismatch(_ type: TemplateParameter, _ argument: ArgumentNode) -> String {
        let expected: String
        switch type {
        case .int: expected = "integer"
        case .double: expected = "float"
        case .bool: expected = "bool"
        case .string: expected = "string"
        default:
            return "can't handle \(argument.description) for arg of type \(type.goTypeName)"
        }
        return "expected \(expected); found \(argument.description)"
    }

    /// Go `validateType`: nil only where the type can be nil; otherwise the types must match.
    func validate(
        _ value: TemplateValue, _ type: TemplateParameter
    ) throws(TemplateError)
        -> TemplateValue
    {
        if value == .null {
            guard type.canBeNil else { throw error("invalid value; expected \(type.goTypeName)") }
            return value
        }
        guard type.accepts(value) else {
            throw error(
                "wrong type for value; expected \(type.goTypeName); got \(value.goTypeName)")
        }
        return value
    }
}
