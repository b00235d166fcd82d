/// Bounds on registration input. Consul's own bounds are cited where it has them; the rest
/// exist so one request cannot make every later read of the catalog expensive.
public enum CatalogLimits {
    /// Meta pairs per node or service: Consul `metaMaxKeyPairs` (agent/structs/structs.go).
    public static let metaPairsMax = 64
    /// Meta key length: Consul `metaKeyMaxLength`.
    public static let metaKeyBytesMax = 128
    /// Meta value length: Consul `metaValueMaxLength`.
    public static let metaValueBytesMax = 512
    /// Tags per service. Consul has no bound; 256 is far beyond real use (tags are DNS
    /// labels and filter terms) and keeps `/v1/catalog/services` small.
    public static let tagsMax = 256
    /// Checks in one registration (`Check` plus `Checks`). Consul has no bound; every check is
    /// a scheduled task on the server, so one request may not create thousands.
    public static let checksPerRegistrationMax = 32
    /// Arguments of a script check. Linux allows more, but a health check never needs it.
    public static let scriptArgumentsMax = 256
    /// Header names on an HTTP check; each may carry several values.
    public static let headerFieldsMax = 64
    /// Any single name, ID, address or free-text field. Node names and service IDs become
    /// MVCC key segments and DNS labels; 1 KiB is generous for all of them.
    public static let fieldBytesMax = 1024
    /// Notes, a catalog-registered Output and an HTTP check Body.
    public static let textBytesMax = 64 * 1024
}
