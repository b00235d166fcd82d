/// The records that answer one (name, type), in catalog order: what the resolver returns
/// and `DNSEncodedAnswer` encodes for the cache. Owner names may be spelled as the first
/// asker spelled them; case-insensitive compression writes them as pointers to the
/// question anyway.
struct DNSResolution: Sendable {
    var responseCode: DNSResponseCode
    var answers: [DNSRecord]
    var authorities: [DNSRecord] = []
    var additionals: [DNSRecord] = []
}
