import Platform

/// A parsed template set: the main template plus every `define`/`block` in its source,
/// executable with Go `text/template` semantics.
public struct Template: Sendable {
    /// The name given to `parse` (confd uses the template file's base name).
    public let name: String
    let trees: [String: TemplateTree]
    let functions: TemplateFunctionSet

    /// Parses `text`. Functions are resolved now, as Go does, so an unknown function or an
    /// undeclared variable is a parse error.
    public static func parse(
        name: String, text: String, functions: TemplateFunctionSet = .confd,
        limits: TemplateLimits = TemplateLimits()
    ) throws(TemplateError) -> Template {
        let source = Array(text.utf8)
        guard source.count <= limits.templateBytesMax else {
            throw TemplateError(
                kind: .limit, templateName: name, line: 0, column: 0, context: "",
                message: "template is \(source.count) bytes, over templateBytesMax "
                    + "(\(limits.templateBytesMax))")
        }
        let tokens: [TemplateToken]
        do {
            tokens = try TemplateLexer.tokenize(source)
        } catch {
            let (line, column) = TemplateParser.lineAndColumn(of: error.position, in: source)
            throw TemplateError(
                kind: .parse, templateName: name, line: line, column: column, context: "",
                message: error.message)
        }
        var parser = TemplateParser(
            parseName: name, source: source, tokens: tokens,
            functionNames: Set(functions.functions.keys), nestingDepthMax: limits.nestingDepthMax)
        let root = try parser.parseRoot()
        try parser.add(TemplateTree(name: name, parseName: name, source: source, root: root))
        var trees: [String: TemplateTree] = [:]
        for tree in parser.definitions { trees[tree.name] = tree }
        return Template(name: name, trees: trees, functions: functions)
    }

    /// Names of all templates in the set (the main one and every `define`/`block`), sorted.
    public var templateNames: [String] { trees.keys.sorted() }

    /// Executes the main template with `data` as dot (confd passes nil) and returns the bytes.
    public func render(
        data: TemplateValue = .null, context: TemplateContext
    )
        throws(TemplateError) -> [UInt8]
    {
        try render(templateNamed: name, data: data, context: context)
    }

    /// Executes one named template of the set (Go `ExecuteTemplate`).
    public func render(
        templateNamed templateName: String, data: TemplateValue = .null,
        context: TemplateContext
    ) throws(TemplateError) -> [UInt8] {
        guard let tree = trees[templateName] else {
            throw TemplateError(
                kind: .execution, templateName: name, line: 0, column: 0, context: "",
                message: "no template \(GoQuote.quote(templateName)) associated with template "
                    + GoQuote.quote(name))
        }
        var executor = TemplateExecutor(
            trees: trees, functions: functions, context: context, tree: tree, data: data)
        try executor.run()
        return executor.output
    }

    /// `render` decoded as UTF-8 (invalid sequences replaced).
    public func renderString(
        data: TemplateValue = .null, context: TemplateContext
    )
        throws(TemplateError) -> String
    {
        String(decoding: try render(data: data, context: context), as: UTF8.self)
    }
}
