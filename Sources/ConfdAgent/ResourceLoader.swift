import Platform

/// Finds and parses the template resources under `<confdir>/conf.d` (confd
/// `getTemplateResources`: a recursive walk keeping names that end in "toml").
public enum ResourceLoader {
    /// Most resource files loaded. Real setups have tens; this bounds a walk of a wrong
    /// directory (`--confdir /`).
    public static let resourceFilesMax = 4096
    /// Deepest directory nesting walked under conf.d; also stops symlink loops.
    public static let directoryDepthMax = 16

    /// What loading found: the good resources, and one error per bad file. confd stops the
    /// daemon on any bad file; the caller decides (the CLI should do the same at startup).
    public struct Loaded: Sendable, Equatable {
        public var resources: [TemplateResource]
        public var failures: [TemplateResourceError]
    }

    /// Loads every `*toml` file under `directory`, in path order.
    public static func load(directory: String) throws(TemplateResourceError) -> Loaded {
        var paths: [String] = []
        try collect(directory, depth: 0, into: &paths)
        var result = Loaded(resources: [], failures: [])
        for path in paths.sorted() {
            switch loadOne(path) {
            case .success(let resource): result.resources.append(resource)
            case .failure(let error): result.failures.append(error)
            }
        }
        return result
    }

    private static func loadOne(
        _ path: String
    )
        -> Swift.Result<TemplateResource, TemplateResourceError>
    {
        let bytes: [UInt8]
        do {
            bytes = try ConfdFiles.read(path, bytesMax: TOMLParser.documentBytesMax)
        } catch {
            return .failure(.unreadable(origin: path, reason: error.description))
        }
        do {
            return .success(try TemplateResource.parse(bytes, origin: path))
        } catch {
            return .failure(error)
        }
    }

    private static func collect(
        _ directory: String, depth: Int, into paths: inout [String]
    )
        throws(TemplateResourceError)
    {
        guard depth <= directoryDepthMax else {
            throw .unreadable(origin: directory, reason: "nested deeper than \(directoryDepthMax)")
        }
        let names: [String]
        do {
            names = try File.listDirectory(directory)
        } catch {
            throw .unreadable(origin: directory, reason: error.description)
        }
        for name in names.sorted() {
            let path = directory + "/" + name
            let facts = try? FileFacts.of(path: path)
            if facts?.isDirectory == true {
                try collect(path, depth: depth + 1, into: &paths)
            } else if name.hasSuffix("toml") {
                guard paths.count < resourceFilesMax else {
                    throw .unreadable(
                        origin: directory, reason: "more than \(resourceFilesMax) resource files")
                }
                paths.append(path)
            }
        }
    }
}
