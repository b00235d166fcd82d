/// Builds the records for one in-zone question from the catalog (consul.md §9.2–9.3).
/// Pure: the same inputs give the same records, in catalog order (the answerer shuffles).
struct DNSZoneResolver {
    let configuration: DNSAnswererConfiguration
    let catalog: DNSCatalogView
    /// The domain the question matched (primary or alias): SOA, NS and SRV targets use it.
    let domain: DNSName
    /// The question name, owner of every answer record.
    let owner: DNSName

    private static let nodeLabel = Array("node".utf8)
    private static let addressLabel = Array("addr".utf8)
    private static let nameServerLabel = Array("ns".utf8)
    private static let hostmasterLabel = Array("hostmaster".utf8)

    var ttl: UInt32 { configuration.ttlSeconds }

    func resolve(_ query: DNSZoneQuery, type: DNSRecordType) -> DNSResolution {
        switch query {
        case .apex: return apex(type: type)
        case .nameServer:
            return answerOrNoData(addressRecords(configuration.nameServerAddresses, type: type))
        case .emptyNonTerminal: return noData()
        case .nonexistent: return nameError()
        case .service(let name, let tag), .rfc2782(let name, let tag):
            return service(name: name, tag: tag, type: type)
        case .node(let name): return node(name: name, type: type)
        case .address(let address): return answerOrNoData(addressRecords([address], type: type))
        }
    }

    // MARK: Apex, SOA, NS

    var nameServerName: DNSName { DNSName(uncheckedLabels: [Self.nameServerLabel] + domain.labels) }

    var soaRecord: DNSRecord {
        let soa = DNSSOA(
            primaryServer: nameServerName,
            responsibleMailbox: DNSName(uncheckedLabels: [Self.hostmasterLabel] + domain.labels),
            serial: configuration.soaSerial, refreshSeconds: configuration.soaRefreshSeconds,
            retrySeconds: configuration.soaRetrySeconds,
            expireSeconds: configuration.soaExpireSeconds, minimumSeconds: ttl)
        return DNSRecord(name: domain, ttlSeconds: ttl, data: .soa(soa))
    }

    var nsRecord: DNSRecord {
        DNSRecord(name: domain, ttlSeconds: ttl, data: .ns(nameServerName))
    }

    var glueRecords: [DNSRecord] {
        configuration.nameServerAddresses.map { record(nameServerName, address: $0) }
    }

    private func apex(type: DNSRecordType) -> DNSResolution {
        switch type {
        case .soa:
            return DNSResolution(
                responseCode: .noError, answers: [soaRecord], authorities: [nsRecord],
                additionals: glueRecords)
        case .ns:
            return DNSResolution(
                responseCode: .noError, answers: [nsRecord], additionals: glueRecords)
        case .any:
            return DNSResolution(
                responseCode: .noError, answers: [soaRecord, nsRecord], additionals: glueRecords)
        default:
            return noData()
        }
    }

    // MARK: Negative answers (RFC 2308 §2.1, §2.2: the SOA in the authority section)

    func noData() -> DNSResolution {
        DNSResolution(responseCode: .noError, answers: [], authorities: [soaRecord])
    }

    func nameError() -> DNSResolution {
        DNSResolution(responseCode: .nameError, answers: [], authorities: [soaRecord])
    }

    private func answerOrNoData(_ answers: [DNSRecord]) -> DNSResolution {
        answers.isEmpty ? noData() : DNSResolution(responseCode: .noError, answers: answers)
    }

    // MARK: Services

    /// No served instance: NXDOMAIN (Consul). Served instances but nothing of the type:
    /// NODATA.
    private func service(name: [UInt8], tag: [UInt8]?, type: DNSRecordType) -> DNSResolution {
        let instances = catalog.servedInstances(service: name, tag: tag)
        guard !instances.isEmpty else { return nameError() }
        switch type {
        case .srv:
            return serviceLocations(instances)
        case .txt:
            var seen = Set<[UInt8]>()
            let strings = instances.flatMap(\.metaText).filter { seen.insert($0).inserted }
            return answerOrNoData(textRecords(strings))
        case .a, .aaaa, .any:
            return answerOrNoData(addressRecords(instances.compactMap(\.address), type: type))
        default:
            return noData()
        }
    }

    /// SRV priority 1, weight 1 (Consul's defaults for passing and warning), one per
    /// distinct (target, port); each target's address goes in the additional section
    /// (RFC 2782 "urged").
    private func serviceLocations(_ instances: [DNSCatalogView.IndexedInstance]) -> DNSResolution {
        var answers: [DNSRecord] = []
        var additionals: [DNSRecord] = []
        var seenLocations = Set<DNSSRV>()
        var seenTargets = Set<DNSName>()
        for indexed in instances {
            guard let address = indexed.address else { continue }
            let target = srvTarget(indexed, address: address)
            let srv = DNSSRV(priority: 1, weight: 1, port: indexed.instance.port, target: target)
            guard seenLocations.insert(srv).inserted else { continue }
            answers.append(DNSRecord(name: owner, ttlSeconds: ttl, data: .srv(srv)))
            if seenTargets.insert(target).inserted {
                additionals.append(record(target, address: address))
            }
        }
        guard !answers.isEmpty else { return noData() }
        return DNSResolution(responseCode: .noError, answers: answers, additionals: additionals)
    }

    /// `<node>.node.<dc>.<domain>` when the instance uses its node's address (that name
    /// resolves to it), else `<hex>.addr.<dc>.<domain>` (consul.md §9.2).
    private func srvTarget(_ indexed: DNSCatalogView.IndexedInstance, address: DNSIPAddress)
        -> DNSName
    {
        let suffix = [configuration.datacenter] + domain.labels
        if indexed.usesNodeAddress, let nodeLabels = indexed.nodeLabels,
            let name = try? DNSName(labels: nodeLabels + [Self.nodeLabel] + suffix)
        {
            return name
        }
        // 33 + 5 + at most 64 bytes before a domain of at most `domainBytesMax`: valid.
        let labels = [DNSQueryName.hexLabel(address), Self.addressLabel] + suffix
        guard let name = try? DNSName(labels: labels) else {
            preconditionFailure("an .addr name under a valid domain is valid")
        }
        return name
    }

    // MARK: Nodes

    private func node(name: [UInt8], type: DNSRecordType) -> DNSResolution {
        guard let node = catalog.node(named: name) else { return nameError() }
        let addresses = node.address.map { [$0] } ?? []
        switch type {
        case .a, .aaaa:
            return answerOrNoData(addressRecords(addresses, type: type))
        case .txt:
            return answerOrNoData(textRecords(node.metaText))
        case .any:
            return answerOrNoData(
                addressRecords(addresses, type: type) + textRecords(node.metaText))
        default:
            return noData()
        }
    }

    // MARK: Record helpers

    /// A and/or AAAA records owned by the question name, one per distinct address.
    private func addressRecords(_ addresses: [DNSIPAddress], type: DNSRecordType) -> [DNSRecord] {
        var seen = Set<DNSIPAddress>()
        var records: [DNSRecord] = []
        for address in addresses where seen.insert(address).inserted {
            switch (address, type) {
            case (.v4, .a), (.v4, .any), (.v6, .aaaa), (.v6, .any):
                records.append(record(owner, address: address))
            default:
                continue
            }
        }
        return records
    }

    private func record(_ name: DNSName, address: DNSIPAddress) -> DNSRecord {
        switch address {
        case .v4(let v4): DNSRecord(name: name, ttlSeconds: ttl, data: .a(v4))
        case .v6(let v6): DNSRecord(name: name, ttlSeconds: ttl, data: .aaaa(v6))
        }
    }

    private func textRecords(_ strings: [[UInt8]]) -> [DNSRecord] {
        strings.map {
            DNSRecord(name: owner, ttlSeconds: ttl, data: .txt(DNSTextRecord.chunks($0)))
        }
    }
}
