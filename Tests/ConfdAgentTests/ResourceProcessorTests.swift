import Platform
import Testing

@testable import ConfdAgent

@Suite("Resource processing and loading (reference/confd.md §1.3, §1.7)")
struct ResourceProcessorTests {
    /// A stand-in engine: replaces "{{getv KEY}}" with the value, or fails if it is missing.
    private static let renderer = ClosureRenderer { (input) throws(ConfdRenderError) -> [UInt8] in
        var text = String(decoding: input.templateText, as: UTF8.self)
        for (key, value) in input.values {
            text = text.replacing("{{getv \(key)}}", with: value)
        }
        if text.contains("{{") { throw ConfdRenderError(message: "key does not exist") }
        return Array(text.utf8)
    }

    private func setUp() throws -> (TemporaryDirectory, ResourceProcessor, TemplateResource) {
        let directory = try TemporaryDirectory()
        try directory.write("templates/app.tmpl", "domain={{getv /nginx/domain}}\n")
        let processor = ResourceProcessor(
            templateDirectory: directory.path + "/templates", globalPrefix: "",
            renderer: Self.renderer, applier: ResourceApplier())
        let resource = TemplateResource(
            origin: "app.toml", source: "app.tmpl", destination: directory.path + "/app.conf",
            keys: ["/nginx"], prefix: "/production")
        return (directory, processor, resource)
    }

    @Test("the template is read from <confdir>/templates and sees prefix-relative keys")
    func renders() throws {
        let (directory, processor, resource) = try setUp()
        var state = ResourceState()
        let report = try processor.process(
            resource, pairs: [(key: "/production/nginx/domain", value: "example.com")],
            state: &state)
        #expect(report.outcome == .updated)
        #expect(try directory.read("app.conf") == "domain=example.com\n")
    }

    @Test("a render error leaves the destination untouched and names the template")
    func renderError() throws {
        let (directory, processor, resource) = try setUp()
        try directory.write("app.conf", "old\n")
        var state = ResourceState()
        #expect(throws: ResourceProcessError.render(
            path: directory.path + "/templates/app.tmpl",
            ConfdRenderError(message: "key does not exist")))
        {
            try processor.process(resource, pairs: [], state: &state)
        }
        #expect(try directory.read("app.conf") == "old\n")
        #expect(try directory.names() == ["app.conf", "templates"])
    }

    @Test("a missing template is confd's \"Missing template: <src>\"")
    func missingTemplate() throws {
        let (directory, processor, original) = try setUp()
        var resource = original
        resource.source = "nope.tmpl"
        var state = ResourceState()
        let path = directory.path + "/templates/nope.tmpl"
        #expect(throws: ResourceProcessError.missingTemplate(path: path)) {
            try processor.process(resource, pairs: [], state: &state)
        }
        #expect(ResourceProcessError.missingTemplate(path: path).description
            == "Missing template: \(path)")
    }

    @Test("the configuration's noop, sync-only and prefix reach the processor")
    func fromConfiguration() throws {
        let flags = try ConfdSettings(arguments: [
            "--confdir", "/c", "--noop", "--sync-only", "--prefix", "/p",
        ])
        let configuration = ConfdConfiguration(flags: flags, file: nil, configFile: nil)
        let processor = ResourceProcessor(configuration: configuration, renderer: Self.renderer)
        #expect(processor.templateDirectory == "/c/templates")
        #expect(processor.globalPrefix == "/p")
        #expect(processor.applier.options == ApplyOptions(noop: true, syncOnly: true))
    }

    @Test("conf.d is walked recursively for *toml files; bad files are reported, not fatal here")
    func loader() throws {
        let directory = try TemporaryDirectory()
        try directory.write("conf.d/a.toml", "[template]\nsrc = \"a\"\ndest = \"/tmp/a\"\n")
        try directory.write("conf.d/sub/b.toml", "[template]\nsrc = \"b\"\ndest = \"/tmp/b\"\n")
        try directory.write("conf.d/c.toml", "[template]\nsrc = \n")
        try directory.write("conf.d/notes.txt", "ignored")
        let loaded = try ResourceLoader.load(directory: directory.path + "/conf.d")
        #expect(loaded.resources.map(\.source) == ["a", "b"])
        #expect(loaded.failures.count == 1)
        guard case .syntax(let origin, let error)? = loaded.failures.first else {
            Issue.record("\(loaded.failures)")
            return
        }
        #expect(origin.hasSuffix("conf.d/c.toml"))
        #expect(error.line == 2)
    }

    @Test("a template of templateBytesMax is read; one byte more is refused")
    func templateLimit() throws {
        let (directory, processor, resource) = try setUp()
        let limit = ResourceProcessor.templateBytesMax
        try directory.write("templates/app.tmpl", String(repeating: "t", count: limit))
        var state = ResourceState()
        _ = try processor.process(resource, pairs: [], state: &state)
        #expect(try FileFacts.of(path: resource.destination)?.sizeBytes == limit)
        try directory.write("templates/app.tmpl", String(repeating: "t", count: limit + 1))
        #expect(throws: ResourceProcessError.templateUnreadable(
            path: processor.templatePath(for: resource),
            reason: "file is larger than \(limit) bytes"))
        {
            try processor.process(resource, pairs: [], state: &state)
        }
    }

    @Test("conf.d nested directoryDepthMax deep is walked; one level deeper is refused")
    func loaderDepthLimit() throws {
        let directory = try TemporaryDirectory()
        let depth = ResourceLoader.directoryDepthMax
        let body = "[template]\nsrc = \"a\"\ndest = \"/tmp/a\"\n"
        let deepest = (1...depth).map { "d\($0)" }.joined(separator: "/")
        try directory.write("conf.d/\(deepest)/a.toml", body)
        #expect(try ResourceLoader.load(directory: directory.path + "/conf.d").resources.count
            == 1)
        try directory.write("conf.d/\(deepest)/deeper/b.toml", body)
        #expect(throws: TemplateResourceError.self) {
            try ResourceLoader.load(directory: directory.path + "/conf.d")
        }
    }

    @Test("resourceFilesMax resource files load; one more is refused")
    func loaderFileLimit() throws {
        let directory = try TemporaryDirectory()
        let limit = ResourceLoader.resourceFilesMax
        for index in 0..<limit {
            try directory.write("conf.d/r\(index).toml", "[template]\nsrc = \"a\"\ndest = \"/t\"\n")
        }
        #expect(try ResourceLoader.load(directory: directory.path + "/conf.d").resources.count
            == limit)
        try directory.write("conf.d/extra.toml", "[template]\nsrc = \"a\"\ndest = \"/t\"\n")
        #expect(throws: TemplateResourceError.self) {
            try ResourceLoader.load(directory: directory.path + "/conf.d")
        }
    }

    @Test("a missing conf.d is an error naming the directory")
    func loaderMissingDirectory() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: TemplateResourceError.self) {
            try ResourceLoader.load(directory: directory.path + "/conf.d")
        }
    }
}
