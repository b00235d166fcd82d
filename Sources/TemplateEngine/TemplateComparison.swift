/// Go's `eq` and `lt` (`funcs.go`): basic kinds compare by value, an int never equals a
/// float, nil equals only nil, and non-basic values compare only when comparable.
enum TemplateComparison {
    private enum BasicKind: Equatable {
        case bool, int, double, string, invalid
    }

    private static func kind(_ value: TemplateValue) -> BasicKind {
        switch value {
        case .bool: .bool
        case .int: .int
        case .double: .double
        case .string: .string
        default: .invalid
        }
    }

    static func equal(
        _ left: TemplateValue, _ others: [TemplateValue]
    )
        throws(TemplateFunctionError) -> Bool
    {
        guard !others.isEmpty else {
            throw TemplateFunctionError("missing argument for comparison")
        }
        let leftKind = kind(left)
        for right in others {
            let rightKind = kind(right)
            if leftKind != rightKind {
                if left != .null && right != .null {
                    throw TemplateFunctionError(
                        "incompatible types for comparison: \(left.goTypeName) and "
                            + right.goTypeName)
                }
                continue
            }
            if leftKind != .invalid {
                if left == right { return true }
                continue
            }
            if try nonBasicEqual(left, right) { return true }
        }
        return false
    }

    private static func nonBasicEqual(
        _ left: TemplateValue, _ right: TemplateValue
    )
        throws(TemplateFunctionError) -> Bool
    {
        if left == .null || right == .null { return left == right }
        switch (left, right) {
        case (.record, .record), (.time, .time):
            return left == right
        case (.list, .list), (.map, .map):
            throw TemplateFunctionError(
                "non-comparable type \(GoFormatter.sprint([right])): \(right.goTypeName)")
        default:
            throw TemplateFunctionError(
                "non-comparable types \(GoFormatter.sprint([left])): \(left.goTypeName), "
                    + "\(right.goTypeName): \(GoFormatter.sprint([right]))")
        }
    }

    static func less(
        _ left: TemplateValue, _ right: TemplateValue
    )
        throws(TemplateFunctionError) -> Bool
    {
        let leftKind = kind(left)
        let rightKind = kind(right)
        guard leftKind != .invalid, rightKind != .invalid else {
            throw TemplateFunctionError("invalid type for comparison")
        }
        guard leftKind == rightKind else {
            throw TemplateFunctionError(
                "incompatible types for comparison: \(left.goTypeName) and \(right.goTypeName)")
        }
        switch (left, right) {
        case (.int(let a), .int(let b)): return a < b
        case (.double(let a), .double(let b)): return a < b
        case (.string(let a), .string(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        default: throw TemplateFunctionError("invalid type for comparison")
        }
    }
}
