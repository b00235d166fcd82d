/// confd's function map (`resource/template/template_funcs.go`) and memkv's store functions,
/// with Go's argument types and error texts.
enum ConfdFunctions {
    typealias Failure = TemplateFunctionError

    static var set: TemplateFunctionSet {
        TemplateFunctionSet(storeFunctions).merging(TemplateFunctionSet(stringFunctions))
            .merging(TemplateFunctionSet(valueFunctions))
            .merging(TemplateFunctionSet(environmentFunctions))
    }

    static func string(_ value: TemplateValue) -> String { value.stringValue ?? "" }

    static func keyValue(_ key: String, _ value: String) -> TemplateValue {
        .record(.keyValuePair(key: key, value: value))
    }

    static let storeFunctions: [String: TemplateFunction] = [
        "exists": TemplateFunction([.string]) { arguments, context in
            .bool(context.store.exists(string(arguments[0])))
        },
        "get": TemplateFunction([.string]) { arguments, context throws(Failure) in
            let key = string(arguments[0])
            guard let value = context.store.value(key) else {
                throw Failure("key does not exist: \(key)")
            }
            return keyValue(key, value)
        },
        "gets": TemplateFunction([.string]) { arguments, context throws(Failure) in
            .list(
                try context.store.pairs(matching: string(arguments[0])).map {
                    keyValue($0.key, $0.value)
                })
        },
        "getv": TemplateFunction([.string], variadic: .string) {
            arguments, context throws(Failure) in
            let key = string(arguments[0])
            if let value = context.store.value(key) { return .string(value) }
            if arguments.count > 1 { return arguments[1] }
            throw Failure("key does not exist: \(key)")
        },
        "getvs": TemplateFunction([.string]) { arguments, context throws(Failure) in
            .strings(try context.store.values(matching: string(arguments[0])))
        },
        "ls": TemplateFunction([.string]) { arguments, context in
            .strings(context.store.list(string(arguments[0])))
        },
        "lsdir": TemplateFunction([.string]) { arguments, context in
            .strings(context.store.listDirectories(string(arguments[0])))
        },
    ]

    static let stringFunctions: [String: TemplateFunction] = [
        "base": TemplateFunction([.string]) { arguments, _ in
            .string(GoPath.base(string(arguments[0])))
        },
        "dir": TemplateFunction([.string]) { arguments, _ in
            .string(GoPath.dir(string(arguments[0])))
        },
        "split": TemplateFunction([.string, .string]) { arguments, context throws(Failure) in
            let parts = GoStrings.split(string(arguments[0]), string(arguments[1]))
            guard parts.count <= context.limits.valueCountMax else {
                throw Failure(
                    "result exceeds valueCountMax (\(context.limits.valueCountMax))", isLimit: true)
            }
            return .strings(parts)
        },
        "join": TemplateFunction([.stringList, .string]) { arguments, context throws(Failure) in
            let parts = arguments[0].stringListValue ?? []
            let separator = string(arguments[1])
            let size =
                parts.reduce(0) { $0 + $1.utf8.count }
                + max(parts.count - 1, 0) * separator.utf8.count
            guard size <= context.limits.valueBytesMax else {
                throw Failure(
                    "result exceeds valueBytesMax (\(context.limits.valueBytesMax) bytes)",
                    isLimit: true)
            }
            return .string(parts.joined(separator: separator))
        },
        "toUpper": TemplateFunction([.string]) { arguments, _ in
            .string(string(arguments[0]).uppercased())
        },
        "toLower": TemplateFunction([.string]) { arguments, _ in
            .string(string(arguments[0]).lowercased())
        },
        "contains": TemplateFunction([.string, .string]) { arguments, _ in
            .bool(GoStrings.contains(string(arguments[0]), string(arguments[1])))
        },
        "replace": TemplateFunction([.string, .string, .string, .int]) {
            arguments, context throws(Failure) in
            guard case .int(let count) = arguments[3] else { return arguments[0] }
            return .string(
                try GoStrings.replace(
                    string(arguments[0]), string(arguments[1]), string(arguments[2]), count,
                    bytesMax: context.limits.valueBytesMax))
        },
        "trimSuffix": TemplateFunction([.string, .string]) { arguments, _ in
            let text = Array(string(arguments[0]).utf8)
            let suffix = Array(string(arguments[1]).utf8)
            guard text.count >= suffix.count, Array(text.suffix(suffix.count)) == suffix else {
                return arguments[0]
            }
            return .string(String(decoding: text.dropLast(suffix.count), as: UTF8.self))
        },
        "base64Encode": TemplateFunction([.string]) { arguments, _ in
            .string(GoBase64.encode(Array(string(arguments[0]).utf8)))
        },
        "base64Decode": TemplateFunction([.string]) { arguments, _ throws(Failure) in
            .string(String(decoding: try GoBase64.decode(string(arguments[0])), as: UTF8.self))
        },
    ]
}
