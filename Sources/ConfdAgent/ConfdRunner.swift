import Platform
import RoostClient
import TemplateEngine

/// `roost confd`'s main loop: load the resources, read what they need, render and apply
/// each (confd `process`, reference/confd.md §1.3), then repeat once, on an interval, or on
/// every change (watch mode, batched by `--wait`). SIGHUP re-reads resources; SIGINT and
/// SIGTERM end the loop after the pass in progress, so a reload is never cut in half.
///
/// One thread does all rendering and applying; watch threads only wake it. Owned by that
/// thread.
public final class ConfdRunner {
    /// Retry delay after a failed read in watch mode, doubling to the maximum.
    static let retryMinimumNanoseconds: UInt64 = 500_000_000
    static let retryMaximumNanoseconds: UInt64 = 15_000_000_000

    /// What one pass did.
    public struct Pass: Sendable {
        /// The snapshot rendered, or nil when it could not be read.
        public var snapshot: ConfdSnapshot?
        /// Resources that failed to load, render, check or reload, plus 1 for a failed read.
        public var failures: Int
        /// Whether any template reads the catalog.
        public var readsCatalog: Bool { catalogNeeds.readsCatalog }
        /// What the templates read of the catalog, merged over every resource.
        var catalogNeeds: CatalogNeeds
    }

    public let configuration: ConfdConfiguration
    let endpoints: [Endpoint]
    let log: ConfdLog
    let backend: ConfdBackend
    let processor: ResourceProcessor
    private(set) var resources: [TemplateResource] = []
    private var loadFailures = 0
    private var states: [String: ResourceState] = [:]
    let clock = MonotonicClock()

    /// Loads the resources; a conf.d directory that cannot be read at all is an error.
    public init(
        configuration: ConfdConfiguration, endpoints: [Endpoint], log: ConfdLog,
        renderer: any ConfdRenderer = TemplateEngineRenderer()
    ) throws(TemplateResourceError) {
        self.configuration = configuration
        self.endpoints = endpoints
        self.log = log
        backend = ConfdBackend(endpoints: endpoints)
        processor = ResourceProcessor(configuration: configuration, renderer: renderer)
        try loadResources()
    }

    /// Re-reads `conf.d` (startup and SIGHUP). A bad file is reported and skipped; the
    /// others go on (confd stops the daemon, which takes every other file down with it).
    func loadResources() throws(TemplateResourceError) {
        let loaded = try ResourceLoader.load(directory: configuration.resourceDirectory)
        for failure in loaded.failures { log.error(failure.description) }
        for resource in loaded.resources {
            for warning in resource.warnings { log.warning("\(resource.origin): \(warning)") }
        }
        resources = loaded.resources
        loadFailures = loaded.failures.count
        let origins = Set(resources.map(\.origin))
        states = states.filter { origins.contains($0.key) }
        log.info(
            "loaded \(resources.count) template resources from \(configuration.resourceDirectory)")
    }

    /// The key prefixes to read and watch, fewest first.
    var fetchPrefixes: [String] {
        KeyPrefixRules.coveringPrefixes(
            resources.flatMap { $0.fetchKeys(globalPrefix: configuration.prefix) })
    }

    /// What a resource's template (as it is on disk now) reads of the catalog. A template
    /// that does not parse reads nothing; its render reports the error.
    func catalogNeeds(_ resource: TemplateResource) -> CatalogNeeds {
        let path = processor.templatePath(for: resource)
        guard let bytes = try? ConfdFiles.read(path, bytesMax: ResourceProcessor.templateBytesMax),
            let template = try? Template.parse(
                name: GoPath.base(resource.source), text: String(decoding: bytes, as: UTF8.self))
        else { return CatalogNeeds() }
        return CatalogNeeds(template: template)
    }

    /// Reads once, what every resource needs, and processes every resource from that one
    /// snapshot.
    public func runPass() -> Pass {
        var catalog = CatalogNeeds()
        for resource in resources { catalog.formUnion(catalogNeeds(resource)) }
        let snapshot: ConfdSnapshot
        do {
            snapshot = try backend.read(prefixes: fetchPrefixes, catalog: catalog)
        } catch {
            log.error("cannot read from \(endpoints.map(\.text).joined(separator: ",")): \(error)")
            return Pass(snapshot: nil, failures: loadFailures + 1, catalogNeeds: catalog)
        }
        var failures = loadFailures
        for resource in resources {
            var state = states[resource.origin] ?? ResourceState()
            do {
                let report = try processor.process(
                    resource, pairs: snapshot.pairs, catalog: snapshot.catalog, state: &state)
                logReport(report)
            } catch {
                failures += 1
                log.error("\(resource.origin): \(error)")
            }
            states[resource.origin] = state
        }
        return Pass(snapshot: snapshot, failures: failures, catalogNeeds: catalog)
    }

    private func logReport(_ report: ApplyReport) {
        for warning in report.warnings { log.warning("\(report.destination): \(warning)") }
        switch report.outcome {
        case .inSync:
            log.debug("\(report.destination) is in sync")
        case .wouldUpdate:
            let differences = report.differences.map(\.description).joined(separator: ", ")
            log.warning("noop mode: \(report.destination) would change (\(differences))")
        case .updated, .reloadRetried:
            log.info("target config \(report.destination) has been updated")
        }
        if report.reloadResult != nil {
            log.info("\(report.destination): reload_cmd succeeded")
        }
    }
}
