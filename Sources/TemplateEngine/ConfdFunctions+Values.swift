import Platform

/// confd's value helpers: JSON, `map`, numbers, sorting, and the I/O-backed functions.
extension ConfdFunctions {
    static let valueFunctions: [String: TemplateFunction] = [
        "json": TemplateFunction([.string]) { arguments, _ throws(Failure) in
            let value = try decodeJSON(string(arguments[0]))
            switch value {
            case .map: return value
            case .null: return .map([:])
            default:
                throw Failure(
                    "json: cannot unmarshal \(jsonKind(value)) into Go value of type "
                        + "map[string]interface {}")
            }
        },
        "jsonArray": TemplateFunction([.string]) { arguments, _ throws(Failure) in
            let value = try decodeJSON(string(arguments[0]))
            switch value {
            case .list: return value
            case .null: return .list([])
            default:
                throw Failure(
                    "json: cannot unmarshal \(jsonKind(value)) into Go value of type "
                        + "[]interface {}")
            }
        },
        "map": TemplateFunction([], variadic: .any) { arguments, _ throws(Failure) in
            guard arguments.count % 2 == 0 else { throw Failure("invalid map call") }
            var entries: [String: TemplateValue] = [:]
            for index in stride(from: 0, to: arguments.count, by: 2) {
                guard case .string(let key) = arguments[index] else {
                    throw Failure("map keys must be strings")
                }
                entries[key] = arguments[index + 1]
            }
            return .map(entries)
        },
        "parseBool": TemplateFunction([.string]) { arguments, _ throws(Failure) in
            let text = string(arguments[0])
            switch text {
            case "1", "t", "T", "TRUE", "true", "True": return .bool(true)
            case "0", "f", "F", "FALSE", "false", "False": return .bool(false)
            default:
                throw Failure("strconv.ParseBool: parsing \(GoQuote.quote(text)): invalid syntax")
            }
        },
        "atoi": TemplateFunction([.string]) { arguments, _ throws(Failure) in
            .int(try atoi(string(arguments[0])))
        },
        "reverse": TemplateFunction([.any]) { arguments, _ in
            guard case .list(let elements) = arguments[0],
                TemplateParameter.stringList.accepts(arguments[0])
                    || TemplateParameter.keyValueList.accepts(arguments[0])
            else { return arguments[0] }
            return .list(elements.reversed())
        },
        "sortByLength": TemplateFunction([.stringList]) { arguments, _ in
            .strings(
                stableSorted(arguments[0].stringListValue ?? []) {
                    $0.utf8.count < $1.utf8.count
                })
        },
        "sortKVByLength": TemplateFunction([.keyValueList]) { arguments, _ in
            guard case .list(let pairs) = arguments[0] else { return .list([]) }
            return .list(stableSorted(pairs) { keyLength($0) < keyLength($1) })
        },
        "add": arithmetic { a, b in a &+ b },
        "sub": arithmetic { a, b in a &- b },
        "mul": arithmetic { a, b in a &* b },
        "div": arithmetic { a, b throws(Failure) in
            guard b != 0 else { throw Failure("runtime error: integer divide by zero") }
            return a.dividedReportingOverflow(by: b).partialValue
        },
        "mod": arithmetic { a, b throws(Failure) in
            guard b != 0 else { throw Failure("runtime error: integer divide by zero") }
            return a.remainderReportingOverflow(dividingBy: b).partialValue
        },
        "seq": TemplateFunction([.int, .int]) { arguments, context throws(Failure) in
            guard case .int(let first) = arguments[0], case .int(let last) = arguments[1],
                first <= last
            else { return .list([]) }
            let (span, overflow) = last.subtractingReportingOverflow(first)
            guard !overflow, span < context.limits.valueCountMax else {
                throw Failure(
                    "seq length exceeds valueCountMax (\(context.limits.valueCountMax))",
                    isLimit: true)
            }
            return .list((first...last).map { .int($0) })
        },
    ]

    private static func keyLength(_ value: TemplateValue) -> Int {
        guard case .record(let record) = value, case .string(let key)? = record["Key"] else {
            return 0
        }
        return key.utf8.count
    }

    /// Go's `sort.Sort` is an insertion sort up to 12 elements, hence stable there; a stable
    /// sort matches it on those inputs and is deterministic beyond.
    static func stableSorted<Element>(
        _ elements: [Element], by less: (Element, Element) -> Bool
    )
        -> [Element]
    {
        elements.enumerated().sorted { left, right in
            if less(left.element, right.element) { return true }
            if less(right.element, left.element) { return false }
            return left.offset < right.offset
        }.map(\.element)
    }

    private static func arithmetic(
        _ operation: @escaping @Sendable (Int, Int) throws(Failure) -> Int
    ) -> TemplateFunction {
        TemplateFunction([.int, .int]) { arguments, _ throws(Failure) in
            guard case .int(let a) = arguments[0], case .int(let b) = arguments[1] else {
                return .int(0)
            }
            return .int(try operation(a, b))
        }
    }

    /// `strconv.Atoi`: optional sign, decimal digits only.
    static func atoi(_ text: String) throws(Failure) -> Int {
        let prefix = "strconv.Atoi: parsing \(GoQuote.quote(text)): "
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw Failure(prefix + "invalid syntax")
        }
        guard let magnitude = UInt64(digits),
            magnitude <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max))
        else { throw Failure(prefix + "value out of range") }
        if negative {
            return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
        }
        return Int(magnitude)
    }

    // MARK: JSON

    /// `encoding/json` into `interface{}`: objects become maps, numbers float64.
    static func decodeJSON(_ text: String) throws(Failure) -> TemplateValue {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(text)
        } catch {
            if text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }) {
                throw Failure("unexpected end of JSON input")
            }
            throw Failure(error.description)
        }
        return templateValue(parsed)
    }

    private static func templateValue(_ json: JSONValue) -> TemplateValue {
        switch json {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let text): return .double(Double(text) ?? 0)
        case .string(let value): return .string(value)
        case .array(let elements): return .list(elements.map(templateValue))
        case .object(let object):
            var entries: [String: TemplateValue] = [:]
            for member in object.members { entries[member.key] = templateValue(member.value) }
            return .map(entries)
        }
    }

    private static func jsonKind(_ value: TemplateValue) -> String {
        switch value {
        case .bool: "bool"
        case .double: "number"
        case .string: "string"
        case .list: "array"
        case .map: "object"
        default: "value"
        }
    }

    // MARK: environment

    static let environmentFunctions: [String: TemplateFunction] = [
        "getenv": TemplateFunction([.string], variadic: .string) { arguments, context in
            let value = context.environment.environmentVariable(named: string(arguments[0])) ?? ""
            if !value.isEmpty { return .string(value) }
            return arguments.count > 1 ? arguments[1] : .string("")
        },
        "datetime": TemplateFunction([]) { _, context in
            .time(context.environment.now())
        },
        "fileExists": TemplateFunction([.string]) { arguments, context in
            .bool(context.environment.fileExists(atPath: string(arguments[0])))
        },
        "lookupIP": TemplateFunction([.string]) { arguments, context in
            .strings(lookupIP(string(arguments[0]), context) ?? [])
        },
        "lookupIPV4": TemplateFunction([.string]) { arguments, context in
            .strings((lookupIP(string(arguments[0]), context) ?? []).filter { $0.contains(".") })
        },
        "lookupIPV6": TemplateFunction([.string]) { arguments, context in
            .strings((lookupIP(string(arguments[0]), context) ?? []).filter { $0.contains(":") })
        },
        "lookupSRV": TemplateFunction([.string, .string, .string]) { arguments, context in
            let records =
                context.environment.lookupSRV(
                    service: string(arguments[0]), proto: string(arguments[1]),
                    name: string(arguments[2])) ?? []
            // confd sorts by the concatenation Target+Port+Priority+Weight.
            let sorted = records.sorted {
                TemplateKeyValueStore.byteOrder(srvSortKey($0), srvSortKey($1))
            }
            return .list(sorted.map { .record($0.record) })
        },
    ]

    /// confd sorts the addresses as strings so DNS shuffling does not cause reloads.
    private static func lookupIP(_ host: String, _ context: TemplateContext) -> [String]? {
        context.environment.lookupIP(host: host)?.sorted(by: TemplateKeyValueStore.byteOrder)
    }

    private static func srvSortKey(_ record: TemplateSRVRecord) -> String {
        "\(record.target)\(record.port)\(record.priority)\(record.weight)"
    }
}
