import TemplateEngine

/// Everything a template run needs. Templates execute with nil data in confd: all data
/// comes through functions (`getv`, `gets`, `ls`…) over `values`.
public struct ConfdRenderInput: Sendable {
    public var resource: TemplateResource
    /// Full path of the template file (for error messages and `template` names).
    public var templatePath: String
    /// The template file's bytes.
    public var templateText: [UInt8]
    /// The resource's data: keys relative to the effective prefix, with a leading "/"
    /// (`TemplateResource.templateValues`). This is memkv's store in confd.
    public var values: [String: String]
    /// Healthy service instances and nodes, for `service`, `services` and `nodes`.
    public var catalog: TemplateServiceCatalog

    public init(
        resource: TemplateResource, templatePath: String, templateText: [UInt8],
        values: [String: String], catalog: TemplateServiceCatalog = TemplateServiceCatalog()
    ) {
        self.catalog = catalog
        self.resource = resource
        self.templatePath = templatePath
        self.templateText = templateText
        self.values = values
    }
}
