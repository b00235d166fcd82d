import Linearizability

/// A client request or reply in flight.
struct ClientEnvelope {
    enum Payload {
        case request(node: UInt64, clientID: Int, seq: UInt64, input: KVInput)
        case reply(clientID: Int, seq: UInt64, reply: ClientReply)
    }

    var deliverAtTick: UInt64
    var sequence: UInt64
    var payload: Payload
}
