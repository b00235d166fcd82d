import TemplateEngine

/// Renders with Roost's Go text/template engine and confd's function set, plus the catalog
/// functions (`service`, `services`, `nodes`). The template is named after the base name of
/// its `src`, as confd names it (`filepath.Base`), so errors read the same.
///
/// Parsing is repeated on every run: confd re-reads templates each time so an edit takes
/// effect without a restart, and parsing costs microseconds next to the commands a change
/// runs.
public struct TemplateEngineRenderer: ConfdRenderer {
    public var environment: any TemplateEnvironment

    public init(environment: any TemplateEnvironment = SystemTemplateEnvironment()) {
        self.environment = environment
    }

    public func render(_ input: ConfdRenderInput) throws(ConfdRenderError) -> [UInt8] {
        let name = GoPath.base(input.resource.source)
        let text = String(decoding: input.templateText, as: UTF8.self)
        let context = TemplateContext(
            store: TemplateKeyValueStore(input.values), catalog: input.catalog,
            environment: environment)
        do {
            return try Template.parse(name: name, text: text).render(context: context)
        } catch {
            throw ConfdRenderError(message: error.description)
        }
    }
}
