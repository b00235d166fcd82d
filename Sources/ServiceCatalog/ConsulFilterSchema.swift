/// The shape of a listing element's fields, standing in for the Go type go-bexpr reflects
/// over (`field_config.go` `GenerateFieldConfigurations`). With it, `ConsulFilter` rejects
/// what Consul rejects before evaluating: unknown selectors, operators a field does not
/// support, and values that do not convert to the field's type.
public indirect enum ConsulFilterSchema: Sendable, Equatable {
    case string
    case bool
    /// Go `int`, `int64` ... (`CoerceInt64`: `strconv.ParseInt(value, 0, 64)`).
    case int
    /// Go `uint64` such as `CreateIndex` (`strconv.ParseUint(value, 0, 64)`).
    case uint
    case float
    /// Go `map[string]T`: any key selects a `T` (`Meta["version"]`).
    case map(ConsulFilterSchema)
    /// Go `[]T`.
    case list(ConsulFilterSchema)
    /// A Go struct: its selectable field names.
    case structure([String: ConsulFilterSchema])

    var isPrimitive: Bool {
        switch self {
        case .string, .bool, .int, .uint, .float: true
        case .map, .list, .structure: false
        }
    }
}
