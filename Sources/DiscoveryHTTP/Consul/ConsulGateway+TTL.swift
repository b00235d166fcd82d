import KVStore
import Platform
import ServiceCatalog

/// TTL check updates (`/v1/agent/check/pass|warn|fail|update/<id>`). A write reaches the
/// log only when the status or output really changes; the agent's TTL timer is refreshed
/// either way (`onTTLRefresh`).
extension ConsulGateway {
    func updateTTL(
        _ id: String, _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        guard case .object(let object)? = try? JSONParser.parse(request.body) else {
            throw .badRequest("Request decode failed: expected {\"Status\",\"Output\"}")
        }
        var fields: [String: JSONValue] = [:]
        for (key, value) in object.members { fields[key.lowercased()] = value }
        let statusText = fields["status"]?.stringValue ?? ""
        guard let status = HealthStatus(rawValue: statusText), status != .maintenance else {
            throw .badRequest("Invalid check status: \"\(statusText)\"")
        }
        try updateTTL(id, status, fields["output"]?.stringValue ?? "", responder)
    }

    func updateTTL(
        _ id: String, _ status: HealthStatus, _ output: String, _ responder: HTTPResponder
    ) throws(ConsulError) {
        let node = keySpace.identity.name
        let key = CatalogKeys.check(node: node, checkID: id)
        // A catalog-registered check is in no agent's local state.
        guard let stored = storedCheck(key), !stored.catalogRegistered else {
            throw ConsulError(CatalogError.unknownCheckID(id))
        }
        guard stored.type == .ttl else {
            throw ConsulError(CatalogError.checkWithoutTTL(id))
        }
        keySpace.checkTTLRefreshed(node: node, checkID: id)
        var check = stored
        check.status = status
        check.output = CheckOutput.boundedTTLOutput(output, bytesMax: CheckOutput.bytesMaxDefault)
        guard check != stored else {
            return responder.respond(.ok, headers: ConsulGateway.commonHeaders, body: [])
        }
        commit([put(key, check.storedValue())], responder)
    }

    /// The check stored under `key`, read alone: heartbeats are the most frequent agent
    /// request (10,000 services passing every 10 s are 1,000 a second), so one must not
    /// cost a decode of the whole catalog.
    func storedCheck(_ key: [UInt8]) -> CatalogCheck? {
        let kv = try? keySpace.withStore { (store) throws(KVError) in
            try store.range(RangeRequest(key: key)).kvs.first
        }
        guard let kv = kv ?? nil else { return nil }
        return try? CatalogCheck(storedValue: kv.value)
    }
}
