import TemplateEngine

/// One resource run, end to end (confd `process()`, reference/confd.md §1.3): read the
/// template from disk (again on every run, as confd), select the resource's data, render
/// through the plugged-in `ConfdRenderer`, and apply. Blocking: run on the agent's threads.
public struct ResourceProcessor: Sendable {
    /// Largest template file read. Templates are kilobytes; this bounds a mistake.
    public static let templateBytesMax = 4 << 20

    /// `<confdir>/templates`.
    public var templateDirectory: String
    /// The global `--prefix` ("" for none).
    public var globalPrefix: String
    public var renderer: any ConfdRenderer
    public var applier: ResourceApplier

    public init(
        templateDirectory: String, globalPrefix: String, renderer: any ConfdRenderer,
        applier: ResourceApplier
    ) {
        self.templateDirectory = templateDirectory
        self.globalPrefix = globalPrefix
        self.renderer = renderer
        self.applier = applier
    }

    /// Builds the processor for a resolved configuration.
    public init(
        configuration: ConfdConfiguration, renderer: any ConfdRenderer,
        commandRunner: CommandRunner = CommandRunner()
    ) {
        self.init(
            templateDirectory: configuration.templateDirectory,
            globalPrefix: configuration.prefix, renderer: renderer,
            applier: ResourceApplier(
                options: ApplyOptions(
                    noop: configuration.noop, syncOnly: configuration.syncOnly,
                    keepStageFile: configuration.keepStageFile),
                commandRunner: commandRunner))
    }

    /// `src` joined to the template directory (Go `filepath.Join`, as confd).
    public func templatePath(for resource: TemplateResource) -> String {
        GoPath.join(templateDirectory, resource.source)
    }

    /// Renders `resource` from `pairs` (backend keys with values, e.g. one consistent read
    /// of the resource's fetch keys) and `catalog`, and applies it.
    public func process(
        _ resource: TemplateResource, pairs: some Sequence<(key: String, value: String)>,
        catalog: TemplateServiceCatalog = TemplateServiceCatalog(), state: inout ResourceState
    ) throws(ResourceProcessError) -> ApplyReport {
        let path = templatePath(for: resource)
        let text: [UInt8]
        do {
            text = try ConfdFiles.read(path, bytesMax: Self.templateBytesMax)
        } catch .notFound {
            throw .missingTemplate(path: path)
        } catch {
            throw .templateUnreadable(path: path, reason: error.description)
        }
        let input = ConfdRenderInput(
            resource: resource, templatePath: path, templateText: text,
            values: resource.templateValues(globalPrefix: globalPrefix, from: pairs),
            catalog: catalog)
        let rendered: [UInt8]
        do {
            rendered = try renderer.render(input)
        } catch {
            throw .render(path: path, error)
        }
        do {
            return try applier.apply(resource, rendered: rendered, state: &state)
        } catch {
            throw .apply(error)
        }
    }
}
