import TemplateEngine

/// 2015-01-23 13:34:56.093250283 -0800 PST, the instant in confd's `datetime` docs.
let pacificTime = TemplateTime(
    unixSeconds: 1_422_048_896, nanoseconds: 93_250_283, utcOffsetSeconds: -8 * 3600,
    zoneName: "PST")

func makeContext(
    _ keys: [String: String] = [:],
    environment: StaticTemplateEnvironment =
        StaticTemplateEnvironment(), catalog: TemplateServiceCatalog = TemplateServiceCatalog(),
    limits: TemplateLimits = TemplateLimits()
) -> TemplateContext {
    TemplateContext(
        store: TemplateKeyValueStore(keys), catalog: catalog, environment: environment,
        limits: limits)
}

/// Parses and renders `text` as template "t" with the confd function set.
func render(
    _ text: String, _ keys: [String: String] = [:], data: TemplateValue = .null,
    environment: StaticTemplateEnvironment = StaticTemplateEnvironment(),
    catalog: TemplateServiceCatalog = TemplateServiceCatalog(),
    limits: TemplateLimits = TemplateLimits()
) throws(TemplateError) -> String {
    let template = try Template.parse(name: "t", text: text, limits: limits)
    let context = makeContext(keys, environment: environment, catalog: catalog, limits: limits)
    return try template.renderString(data: data, context: context)
}

/// The error description of a failing parse or render, or "no error: <output>".
func failure(
    _ text: String, _ keys: [String: String] = [:], data: TemplateValue = .null,
    limits: TemplateLimits = TemplateLimits()
) -> String {
    do {
        return "no error: " + (try render(text, keys, data: data, limits: limits))
    } catch {
        return error.description
    }
}

/// Like `failure` but returns the error itself.
func renderError(
    _ text: String, _ keys: [String: String] = [:], limits: TemplateLimits = TemplateLimits()
)
    -> TemplateError?
{
    do {
        _ = try render(text, keys, limits: limits)
        return nil
    } catch {
        return error
    }
}
