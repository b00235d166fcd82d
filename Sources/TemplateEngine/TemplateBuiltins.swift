/// Go `text/template`'s predefined functions (`funcs.go`): `and or not len index slice print
/// printf println eq ne lt le gt ge html js urlquery`. (`call` needs function values, which
/// templates here do not have.)
enum TemplateBuiltins {
    static let set = TemplateFunctionSet([
        "and": shortCircuit(), "or": shortCircuit(),
        "not": TemplateFunction([.any]) { arguments, _ in .bool(!arguments[0].isTrue) },
        "len": TemplateFunction([.any]) { arguments, _ throws(TemplateFunctionError) in
            try length(arguments[0])
        },
        "index": TemplateFunction([.any], variadic: .any) {
            arguments, _ throws(TemplateFunctionError) in
            try index(arguments[0], Array(arguments.dropFirst()))
        },
        "slice": TemplateFunction([.any], variadic: .any) {
            arguments, _ throws(TemplateFunctionError) in
            try slice(arguments[0], Array(arguments.dropFirst()))
        },
        "print": TemplateFunction([], variadic: .any) {
            arguments, context throws(TemplateFunctionError) in
            try bounded(GoFormatter.sprint(arguments), context)
        },
        "println": TemplateFunction([], variadic: .any) {
            arguments, context throws(TemplateFunctionError) in
            try bounded(GoFormatter.sprintln(arguments), context)
        },
        "printf": TemplateFunction([.string], variadic: .any) {
            arguments, context throws(TemplateFunctionError) in
            let format = arguments[0].stringValue ?? ""
            try checkWidths(format, context)
            return try bounded(
                GoFormatter.sprintf(format, Array(arguments.dropFirst())), context)
        },
        "eq": TemplateFunction([.any], variadic: .any) {
            arguments, _ throws(TemplateFunctionError) in
            .bool(try TemplateComparison.equal(arguments[0], Array(arguments.dropFirst())))
        },
        "ne": comparison { a, b throws(TemplateFunctionError) in
            try !TemplateComparison.equal(a, [b])
        },
        "lt": comparison { a, b throws(TemplateFunctionError) in
            try TemplateComparison.less(a, b)
        },
        "le": comparison { a, b throws(TemplateFunctionError) in
            try lessOrEqual(a, b)
        },
        "gt": comparison { a, b throws(TemplateFunctionError) in
            try !lessOrEqual(a, b)
        },
        "ge": comparison { a, b throws(TemplateFunctionError) in
            try !TemplateComparison.less(a, b)
        },
        "html": TemplateFunction([], variadic: .any) { arguments, _ in
            .string(TemplateEscaping.html(evalArgs(arguments)))
        },
        "js": TemplateFunction([], variadic: .any) { arguments, _ in
            .string(TemplateEscaping.javaScript(evalArgs(arguments)))
        },
        "urlquery": TemplateFunction([], variadic: .any) { arguments, _ in
            .string(TemplateEscaping.queryEscape(evalArgs(arguments)))
        },
    ])

    /// Go `le`: `lt`, else `eq`.
    private static func lessOrEqual(
        _ a: TemplateValue, _ b: TemplateValue
    )
        throws(TemplateFunctionError) -> Bool
    {
        if try TemplateComparison.less(a, b) { return true }
        return try TemplateComparison.equal(a, [b])
    }

    private static func shortCircuit() -> TemplateFunction {
        var function = TemplateFunction([.any], variadic: .any) { arguments, _ in
            arguments.last ?? .null
        }
        function.isShortCircuit = true
        return function
    }

    private static func comparison(
        _ compare:
            @escaping @Sendable (TemplateValue, TemplateValue) throws(TemplateFunctionError)
            -> Bool
    ) -> TemplateFunction {
        TemplateFunction([.any, .any]) { arguments, _ throws(TemplateFunctionError) in
            .bool(try compare(arguments[0], arguments[1]))
        }
    }

    static func bounded(
        _ text: String, _ context: TemplateContext
    )
        throws(TemplateFunctionError) -> TemplateValue
    {
        guard text.utf8.count <= context.limits.valueBytesMax else {
            throw TemplateFunctionError(
                "result exceeds valueBytesMax (\(context.limits.valueBytesMax) bytes)",
                isLimit: true)
        }
        return .string(text)
    }

    /// Rejects a width or precision that alone would exceed `valueBytesMax`, before any
    /// padding is built (Go accepts up to eight digits, i.e. 100 MB of padding).
    private static func checkWidths(
        _ format: String, _ context: TemplateContext
    )
        throws(TemplateFunctionError)
    {
        var number = 0
        var rejected = false
        func check() throws(TemplateFunctionError) {
            if !rejected && number > context.limits.valueBytesMax {
                throw TemplateFunctionError(
                    "width exceeds valueBytesMax (\(context.limits.valueBytesMax) bytes)",
                    isLimit: true)
            }
            number = 0
            rejected = false
        }
        for byte in format.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                // Go's parsenum gives up once the number passed 1e6 before another digit.
                if number > GoFormatter.widthMax { rejected = true }
                if !rejected { number = number * 10 + Int(byte - UInt8(ascii: "0")) }
            } else {
                try check()
            }
        }
        try check()
    }

    /// `fmt.Sprint` of the arguments, or the single string argument as is (Go `evalArgs`).
    private static func evalArgs(_ arguments: [TemplateValue]) -> String {
        if arguments.count == 1, let text = arguments[0].stringValue { return text }
        return GoFormatter.sprint(arguments)
    }

    private static func length(
        _ item: TemplateValue
    ) throws(TemplateFunctionError)
        -> TemplateValue
    {
        switch item {
        case .string(let text): return .int(text.utf8.count)
        case .list(let elements): return .int(elements.count)
        case .map(let entries): return .int(entries.count)
        case .null:
            throw TemplateFunctionError("reflect: call of reflect.Value.Type on zero Value")
        default: throw TemplateFunctionError("len of type \(item.goTypeName)")
        }
    }

    /// Go `indexArg`: an int within 0...bound.
    private static func indexArgument(
        _ value: TemplateValue, bound: Int
    )
        throws(TemplateFunctionError) -> Int
    {
        switch value {
        case .int(let number):
            guard number >= 0 && number <= bound else {
                throw TemplateFunctionError("index out of range: \(number)")
            }
            return number
        case .null: throw TemplateFunctionError("cannot index slice/array with nil")
        default:
            throw TemplateFunctionError("cannot index slice/array with type \(value.goTypeName)")
        }
    }

    private static func index(
        _ start: TemplateValue, _ indexes: [TemplateValue]
    )
        throws(TemplateFunctionError) -> TemplateValue
    {
        guard start != .null else { throw TemplateFunctionError("index of untyped nil") }
        var item = start
        for key in indexes {
            switch item {
            case .list(let elements):
                let position = try indexArgument(key, bound: elements.count)
                guard position < elements.count else {
                    throw TemplateFunctionError("index out of range: \(position)")
                }
                item = elements[position]
            case .string(let text):
                let bytes = Array(text.utf8)
                let position = try indexArgument(key, bound: bytes.count)
                guard position < bytes.count else {
                    throw TemplateFunctionError("index out of range: \(position)")
                }
                item = .int(Int(bytes[position]))
            case .map(let entries):
                switch key {
                case .string(let name): item = entries[name] ?? .null
                case .null: item = entries[""] ?? .null
                default:
                    throw TemplateFunctionError(
                        "value has type \(key.goTypeName); should be string")
                }
            case .null:
                throw TemplateFunctionError("index of nil pointer")
            default:
                throw TemplateFunctionError("can't index item of type \(item.goTypeName)")
            }
        }
        return item
    }

    private static func slice(
        _ item: TemplateValue, _ indexes: [TemplateValue]
    )
        throws(TemplateFunctionError) -> TemplateValue
    {
        guard item != .null else { throw TemplateFunctionError("slice of untyped nil") }
        guard indexes.count <= 3 else {
            throw TemplateFunctionError("too many slice indexes: \(indexes.count)")
        }
        let count: Int
        switch item {
        case .string(let text):
            if indexes.count == 3 { throw TemplateFunctionError("cannot 3-index slice a string") }
            count = text.utf8.count
        case .list(let elements): count = elements.count
        default: throw TemplateFunctionError("can't slice item of type \(item.goTypeName)")
        }
        var bounds = [0, count, count]
        for (offset, value) in indexes.enumerated() {
            bounds[offset] = try indexArgument(value, bound: count)
        }
        if bounds[0] > bounds[1] {
            throw TemplateFunctionError("invalid slice index: \(bounds[0]) > \(bounds[1])")
        }
        if indexes.count == 3 && bounds[1] > bounds[2] {
            throw TemplateFunctionError("invalid slice index: \(bounds[1]) > \(bounds[2])")
        }
        switch item {
        case .string(let text):
            return .string(String(decoding: Array(text.utf8)[bounds[0]..<bounds[1]], as: UTF8.self))
        case .list(let elements):
            return .list(Array(elements[bounds[0]..<bounds[1]]))
        default:
            preconditionFailure("checked above")
        }
    }
}
