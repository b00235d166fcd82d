import Platform
import RoostClient

#if canImport(Glibc)
    import Glibc
#endif

/// What every client command shares: its endpoints and output style.
struct ClientContext {
    static let valueFlags: Set<String> = ["endpoints"]
    static let switchFlags: Set<String> = ["json", "help"]

    let client: EtcdClient
    let json: Bool

    init(_ arguments: Arguments) throws(ClientError) {
        let environment = getenv("ROOST_ENDPOINTS").map { String(cString: $0) }
        let endpoints = try Endpoint.list(arguments.options["endpoints"] ?? environment)
        client = EtcdClient(endpoints: endpoints)
        json = arguments.has("json")
    }

    func printJSON(_ object: JSONObject) {
        printJSON(.object(object))
    }

    /// Any JSON answer (Consul's reads answer arrays as well as objects).
    func printJSON(_ value: JSONValue) {
        var writer = JSONWriter()
        writer.value(value)
        FileOutput.standardOutput.write(writer.bytes + [0x0A])
    }
}
