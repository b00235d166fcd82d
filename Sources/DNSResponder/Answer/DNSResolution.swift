/// The records that answer one (name, type) before shuffling and encoding: what the answer
/// cache stores. Owner names may be spelled as the first asker spelled them; the encoder's
/// case-insensitive compression writes them as pointers to the question anyway.
struct DNSResolution: Sendable {
    var responseCode: DNSResponseCode
    var answers: [DNSRecord]
    var authorities: [DNSRecord] = []
    var additionals: [DNSRecord] = []
}
