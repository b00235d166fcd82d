import Platform

/// go-bexpr's validation pass (`validate.go` `validateRecurse`) over a schema, with the
/// operator sets `field_config.go` gives each kind of Go type.
extension ConsulFilterSchema {
    /// What a selector may continue with after this field.
    enum Children {
        case none
        case named([String: ConsulFilterSchema])
        /// A map: every key selects the same type (bexpr `FieldNameAny`).
        case any(ConsulFilterSchema)
    }

    /// A field's bexpr `FieldConfiguration`.
    struct FieldRules {
        var operators: Set<ConsulFilterOperator>
        /// The type the value converts to; nil when the field takes no value.
        var coercion: ConsulFilterSchema?
        var children: Children
    }

    var rules: FieldRules {
        switch self {
        case .string:
            return FieldRules(
                operators: [.equal, .notEqual, .in, .notIn, .matches, .notMatches],
                coercion: .string, children: .none)
        case .bool, .int, .uint, .float:
            return FieldRules(operators: [.equal, .notEqual], coercion: self, children: .none)
        case .map(let value):
            return FieldRules(
                operators: [.isEmpty, .isNotEmpty, .in, .notIn], coercion: .string,
                children: .any(value))
        case .list(let element) where element.isPrimitive:
            return FieldRules(
                operators: [.in, .notIn, .isEmpty, .isNotEmpty], coercion: element,
                children: .none)
        case .list(let element):
            // A slice of structs: its elements' fields are selectable through it (ANY).
            return FieldRules(
                operators: [.isEmpty, .isNotEmpty], coercion: nil,
                children: element.rules.children)
        case .structure(let fields):
            return FieldRules(operators: [], coercion: nil, children: .named(fields))
        }
    }

    /// Throws Consul's error for a match this element type cannot run.
    func validate(_ match: ConsulFilterMatch) throws(ConsulFilterError) {
        var children = rules.children
        var field: FieldRules?
        for (index, name) in match.selector.enumerated() {
            guard let next = children.schema(named: name) else {
                let prefix = match.selector[...index].joined(separator: ".")
                throw .evaluator("Selector \(GoQuote.quote(prefix)) is not valid")
            }
            field = next.rules
            children = next.rules.children
        }
        let selector = GoQuote.quote(match.selectorText)
        guard let field, field.operators.contains(match.op) else {
            throw .evaluator(
                "Invalid match operator \(GoQuote.quote(match.op.goName)) for selector "
                    + selector)
        }
        guard let value = match.value, let coercion = field.coercion else { return }
        do {
            try coercion.coerce(value)
        } catch {
            throw .evaluator(
                "Failed to coerce value \(GoQuote.quote(value)) for selector \(selector): "
                    + error.description)
        }
    }

    /// Converts `value` as bexpr's coercion function for this type would.
    private func coerce(_ value: String) throws(GoStrconv.Failure) {
        switch self {
        case .bool: _ = try GoStrconv.parseBool(value)
        case .int: _ = try GoStrconv.parseInt(value)
        case .uint: _ = try GoStrconv.parseUint(value)
        case .float: _ = try GoStrconv.parseFloat(value)
        default: return
        }
    }
}

extension ConsulFilterSchema.Children {
    func schema(named name: String) -> ConsulFilterSchema? {
        switch self {
        case .none: nil
        case .named(let fields): fields[name]
        case .any(let value): value
        }
    }
}
