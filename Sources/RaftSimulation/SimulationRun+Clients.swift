import Linearizability
import Raft

/// The key-value workload: sequential clients that send to any member (a follower forwards
/// writes to its leader, thesis §6.2, and ReadIndex requests too), every completed or
/// abandoned request recorded for the linearizability check.
extension SimulationRun {
    mutating func runClients() {
        for index in clients.indices {
            guard let request = clients[index].current else {
                let quietFrom = UInt64(options.ticks) - UInt64(SimulationRun.quietTicksAtEnd)
                if tick >= clients[index].nextRequestAtTick && tick < quietFrom {
                    startRequest(index)
                }
                continue
            }
            if tick >= request.deadlineTick {
                giveUp(index)
            } else if let resendAt = request.resendAtTick, resendAt <= tick {
                sendRequest(index)
            } else if request.resendAtTick == nil && tick >= request.attemptDeadlineTick {
                let target = randomLiveNodeID()
                clients[index].current?.target = target
                sendRequest(index)
            }
        }
    }

    private func key(_ number: Int) -> KVBytes { KVBytes("k\(number)") }

    private mutating func startRequest(_ index: Int) {
        clients[index].lastSeq += 1
        let seq = clients[index].lastSeq
        let client = clients[index]
        let key = key(random.int(in: 0...(swarm.keyCount - 1)))
        let value = KVBytes("c\(client.id)-\(seq)")
        let input: KVInput
        var target = client.leaderGuess
        // Half the requests go to any member rather than the believed leader: followers
        // forward them, so every member must be able to take a client's request.
        if random.chance(50) { target = randomLiveNodeID() }
        if random.chance(swarm.readPercent) {
            input = .get(key: key)
        } else if random.chance(60) {
            input = .put(key: key, value: value)
        } else {
            input = .compareAndSwap(key: key, expected: client.lastSeen[key], new: value)
        }
        clients[index].current = SimClient.Request(
            seq: seq, input: input, callTick: tick,
            deadlineTick: tick + SimClient.requestTimeoutTicks, attemptDeadlineTick: tick,
            resendAtTick: nil, target: target)
        record(.client(client: client.id, seq: seq,
                       text: "invokes \(KVModel().describe(input, nil))"))
        sendRequest(index)
    }

    private mutating func sendRequest(_ index: Int) {
        guard let request = clients[index].current else { return }
        clients[index].current?.attemptDeadlineTick = tick + SimClient.attemptTimeoutTicks
        clients[index].current?.resendAtTick = nil
        enqueue(.request(node: request.target, clientID: clients[index].id, seq: request.seq,
                         input: request.input))
    }

    private mutating func giveUp(_ index: Int) {
        guard let request = clients[index].current else { return }
        history.append(Operation(
            clientID: clients[index].id, input: request.input, call: request.callTick,
            output: nil, returnTime: nil))
        stats.operationsUnknown += 1
        record(.client(client: clients[index].id, seq: request.seq,
                       text: "gives up: outcome unknown"))
        clients[index].current = nil
        clients[index].nextRequestAtTick = tick + 1
    }

    func randomLiveNodeIDs() -> [UInt64] {
        nodes.filter { !$0.isRetired }.map(\.id)
    }

    mutating func randomLiveNodeID() -> UInt64 {
        random.pick(randomLiveNodeIDs()) ?? 1
    }

    // MARK: - Client channel

    private mutating func enqueue(_ payload: ClientEnvelope.Payload) {
        guard clientMessages.count < SimulationLimits.inFlightClientMessagesMax else { return }
        clientSequence += 1
        let delay = UInt64(random.int(in: 1...2))
        clientMessages.append(ClientEnvelope(
            deliverAtTick: tick + delay, sequence: clientSequence, payload: payload))
    }

    mutating func reply(to clientID: Int, seq: UInt64, _ reply: ClientReply) {
        enqueue(.reply(clientID: clientID, seq: seq, reply: reply))
    }

    mutating func deliverClientMessages() {
        guard clientMessages.contains(where: { $0.deliverAtTick <= tick }) else { return }
        let due = clientMessages.filter { $0.deliverAtTick <= tick }
            .sorted { ($0.deliverAtTick, $0.sequence) < ($1.deliverAtTick, $1.sequence) }
        clientMessages.removeAll { $0.deliverAtTick <= tick }
        for envelope in due where violations.isEmpty {
            switch envelope.payload {
            case let .request(node, clientID, seq, input):
                handleRequest(node: node, clientID: clientID, seq: seq, input: input)
            case let .reply(clientID, seq, reply):
                handleReply(clientID: clientID, seq: seq, reply)
            }
        }
    }

    // MARK: - Node side

    private mutating func handleRequest(node: UInt64, clientID: Int, seq: UInt64,
                                        input: KVInput) {
        guard let index = nodeIndex(of: node), nodes[index].isUp else { return }
        let hint = nodes[index].soft.lead
        if case .get(let key) = input {
            nodes[index].readContextCounter += 1
            let context = contextBytes(nodes[index].readContextCounter, clientID: clientID)
            do {
                try nodes[index].core?.readIndex(context: context)
                nodes[index].pendingReads.removeAll { $0.clientID == clientID }
                nodes[index].pendingReads.append(SimNode.PendingRead(
                    context: context, clientID: clientID, seq: seq, key: key))
            } catch {
                reply(to: clientID, seq: seq, .redirect(leaderHint: hint))
            }
        } else {
            let command = SimCommand(clientID: clientID, seq: seq, input: input)
            do {
                // On a follower the core forwards the write to its leader; this node still
                // answers the client, once it applies the command (matched by client and
                // seq, as the core cannot say which index the write will get).
                let proposed = try nodes[index].core?.propose(command.encode())
                if nodes[index].isUp && proposed == nil { stats.writesForwarded += 1 }
                nodes[index].pendingWrites.removeAll { $0.clientID == clientID }
                nodes[index].pendingWrites.append((clientID, seq))
            } catch {
                reply(to: clientID, seq: seq, .redirect(leaderHint: hint))
            }
        }
        drainReady(index)
    }

    private func contextBytes(_ counter: UInt64, clientID: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: counter >> UInt64(shift)))
        }
        bytes.append(UInt8(truncatingIfNeeded: clientID))
        return bytes
    }

    // MARK: - Client side

    private mutating func handleReply(clientID: Int, seq: UInt64, _ reply: ClientReply) {
        guard let index = clients.firstIndex(where: { $0.id == clientID }),
              let request = clients[index].current, request.seq == seq else { return }
        switch reply {
        case .done(let output):
            complete(index, request: request, output: output)
        case .redirect(let hint):
            let known = hint != 0 && randomLiveNodeIDs().contains(hint)
            let target = known ? hint : randomLiveNodeID()
            clients[index].leaderGuess = target
            clients[index].current?.target = target
            clients[index].current?.resendAtTick = tick + UInt64(random.int(in: 1...3))
        }
    }

    private mutating func complete(_ index: Int, request: SimClient.Request, output: KVOutput) {
        history.append(Operation(
            clientID: clients[index].id, input: request.input, call: request.callTick,
            output: output, returnTime: tick))
        stats.operationsCompleted += 1
        switch (request.input, output) {
        case (.get(let key), .value(let value)):
            clients[index].lastSeen[key] = value
        case (.put(let key, let value), _):
            clients[index].lastSeen[key] = value
        case (.compareAndSwap(let key, _, let new), .swapped(true)):
            clients[index].lastSeen[key] = new
        default:
            break
        }
        record(.client(client: clients[index].id, seq: request.seq,
                       text: "completes: \(output) (called t=\(request.callTick))"))
        clients[index].leaderGuess = request.target
        clients[index].current = nil
        clients[index].nextRequestAtTick = tick + UInt64(random.int(in: 0...5))
    }
}
