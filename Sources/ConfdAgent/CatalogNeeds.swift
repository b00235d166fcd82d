import TemplateEngine

/// What renders read from the catalog, found from the templates' parse trees: a pass reads
/// only these (one request per named service, not one per registered service), and watch
/// mode holds a blocking query on each (`ConsulQuery`). Merged over every resource, so one
/// pass makes one set of reads that all its renders share.
struct CatalogNeeds: Sendable, Equatable {
    /// Services named by `service "name"` or `service "tag.name"`: the name only, since the
    /// tag filters instances after the read (`TemplateServiceCatalog.healthyInstances`).
    var serviceNames: Set<String> = []
    /// Some `service` call names its service only at run time (`service $name`): every
    /// registered service is read.
    var allServices = false
    /// `services` is called.
    var serviceList = false
    /// `nodes` is called.
    var nodes = false

    init() {}

    /// What `template` reads, whether or not execution reaches the calls.
    init(template: Template) {
        let functions = template.functionNames
        if functions.contains("service") {
            switch template.literalArguments(of: "service") {
            case .literals(let queries):
                serviceNames = Set(queries.map { TemplateServiceCatalog.parseQuery($0).name })
            case .unknown:
                allServices = true
            }
        }
        serviceList = functions.contains("services")
        nodes = functions.contains("nodes")
    }

    /// Whether a pass reads the catalog at all.
    var readsCatalog: Bool {
        allServices || serviceList || nodes || !serviceNames.isEmpty
    }

    /// Whether a pass reads `/v1/catalog/services`: for `services`, to learn every name
    /// when one is unknown, and as the single blocking query that stands in for more named
    /// services than `ConfdChangeFeed.healthQueriesMax` (read now so that query starts
    /// from this pass's index and misses nothing in between).
    var readsServiceList: Bool {
        serviceList || allServices || serviceNames.count > ConfdChangeFeed.healthQueriesMax
    }

    mutating func formUnion(_ other: CatalogNeeds) {
        serviceNames.formUnion(other.serviceNames)
        allServices = allServices || other.allServices
        serviceList = serviceList || other.serviceList
        nodes = nodes || other.nodes
    }
}
