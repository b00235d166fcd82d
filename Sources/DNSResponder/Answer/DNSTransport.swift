/// How a query arrived: it decides the answer's size limit (RFC 1035 §4.2).
public enum DNSTransport: Sendable, Hashable {
    case udp
    case tcp
}
