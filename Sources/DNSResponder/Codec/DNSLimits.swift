/// Every size bound of the DNS codec and responder, with the reason for its value.
public enum DNSLimits {
    /// Longest label (RFC 1035 §2.3.4): the length byte's top two bits are the label type.
    public static let labelBytesMax = 63
    /// Longest name in wire form, length bytes and root included (RFC 1035 §2.3.4).
    public static let nameBytesMax = 255
    /// Longest message: the TCP length prefix is 16 bits (RFC 1035 §4.2.2), and no UDP
    /// datagram is larger.
    public static let messageBytesMax = 65_535
    /// UDP payload without EDNS (RFC 1035 §4.2.1); also the floor for an EDNS client's
    /// advertised size (RFC 6891 §6.2.5: values below 512 are treated as 512).
    public static let udpPayloadBytesClassic = 512
    /// The most we answer over UDP whatever the client advertises, and the size we
    /// advertise: DNS Flag Day 2020's 1232 avoids IP fragmentation on common paths.
    public static let ednsUDPPayloadBytesMax = 1232
    /// Pointer hops in one name. Backward-only pointers already end every chain; a name
    /// has at most 127 labels, so a legitimate name never needs more hops than that.
    public static let pointerHopsMax = 127
    /// Offsets a compression pointer can express (14 bits, RFC 1035 §4.1.4): names after
    /// this offset are written but never registered as compression targets.
    public static let compressionOffsetMax = 0x3FFF
    /// Longest character-string in TXT RDATA (one length byte, RFC 1035 §3.3).
    public static let characterStringBytesMax = 255
}
