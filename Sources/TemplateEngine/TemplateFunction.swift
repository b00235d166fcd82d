/// The Go parameter type a function declares; arguments are checked against it before the
/// call, with Go's messages (`wrong type for value; expected string; got int`).
public enum TemplateParameter: Sendable, Equatable {
    /// `interface{}` / `reflect.Value`: anything, including nil.
    case any
    case string
    case int
    case bool
    case double
    /// `[]string`; nil is accepted as an empty list.
    case stringList
    /// `[]memkv.KVPair`; nil is accepted as an empty list.
    case keyValueList

    var goTypeName: String {
        switch self {
        case .any: "interface {}"
        case .string: "string"
        case .int: "int"
        case .bool: "bool"
        case .double: "float64"
        case .stringList: "[]string"
        case .keyValueList: "[]memkv.KVPair"
        }
    }

    var canBeNil: Bool {
        switch self {
        case .any, .stringList, .keyValueList: true
        case .string, .int, .bool, .double: false
        }
    }

    /// Whether a (non-nil) value fits this parameter.
    func accepts(_ value: TemplateValue) -> Bool {
        switch (self, value) {
        case (.any, _), (.string, .string), (.int, .int), (.bool, .bool), (.double, .double):
            return true
        case (.stringList, .list):
            return value.stringListValue != nil
        case (.keyValueList, .list(let elements)):
            return elements.allSatisfy {
                if case .record(let record) = $0 { return record.typeName == "memkv.KVPair" }
                return false
            }
        default:
            return false
        }
    }
}

/// What a function body receives besides its arguments: the render's data sources.
public typealias TemplateFunctionBody =
    @Sendable ([TemplateValue], TemplateContext) throws(TemplateFunctionError) -> TemplateValue

/// A function callable from templates, with a Go-like signature: fixed parameters and an
/// optional variadic tail.
public struct TemplateFunction: Sendable {
    public var parameters: [TemplateParameter]
    /// The element type of a trailing `...` parameter, if any.
    public var variadic: TemplateParameter?
    public var body: TemplateFunctionBody
    /// Go's built-in `and`/`or`: arguments are evaluated lazily by the executor.
    var isShortCircuit = false

    public init(
        _ parameters: [TemplateParameter], variadic: TemplateParameter? = nil,
        body: @escaping TemplateFunctionBody
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.body = body
    }

    /// The declared type of argument `index` (0-based).
    func parameter(at index: Int) -> TemplateParameter {
        if index < parameters.count { return parameters[index] }
        return variadic ?? .any
    }
}

/// A named set of functions a template may call; checked at parse time like Go's FuncMap.
public struct TemplateFunctionSet: Sendable {
    public var functions: [String: TemplateFunction]

    public init(_ functions: [String: TemplateFunction] = [:]) {
        self.functions = functions
    }

    /// Adds or replaces functions (later wins, like `template.Funcs`).
    public func merging(_ other: TemplateFunctionSet) -> TemplateFunctionSet {
        TemplateFunctionSet(functions.merging(other.functions) { _, new in new })
    }

    public subscript(name: String) -> TemplateFunction? {
        functions[name]
    }

    /// Go's built-ins only (`and`, `printf`, `eq`, ...).
    public static var builtins: TemplateFunctionSet { TemplateBuiltins.set }

    /// Everything a `roost confd` template sees: Go's built-ins, confd's function map and
    /// memkv's store functions, and Roost's service extensions.
    public static var confd: TemplateFunctionSet {
        builtins.merging(ConfdFunctions.set).merging(ServiceFunctions.set)
    }
}

/// The data a render reads through functions: keys, services, and the I/O environment.
public struct TemplateContext: Sendable {
    public var store: TemplateKeyValueStore
    public var catalog: TemplateServiceCatalog
    public var environment: any TemplateEnvironment
    public var limits: TemplateLimits

    public init(
        store: TemplateKeyValueStore = TemplateKeyValueStore(),
        catalog: TemplateServiceCatalog = TemplateServiceCatalog(),
        environment: any TemplateEnvironment = StaticTemplateEnvironment(),
        limits: TemplateLimits = TemplateLimits()
    ) {
        self.store = store
        self.catalog = catalog
        self.environment = environment
        self.limits = limits
    }
}
