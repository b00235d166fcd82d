import Raft
import Testing
@testable import RaftSimulation

@Suite("Raft simulation: the simulated network")
struct SimNetworkTests {
    private func message(from: UInt64, to: UInt64, term: UInt64 = 1) -> Message {
        Message(kind: .heartbeat, from: from, to: to, term: term)
    }

    @Test("the network holds inFlight capacity messages and drops the one beyond (limit, limit+1)")
    func capacityIsEnforced() {
        var network = SimNetwork(capacity: 3)
        var random = SimRandom(seed: 1)
        for _ in 0..<3 {
            #expect(network.send(message(from: 1, to: 2), now: 0, random: &random) == nil)
        }
        #expect(network.send(message(from: 1, to: 2), now: 0, random: &random) == .overflow)
        #expect(network.inFlight.count == 3)
        #expect(SimNetwork().capacity == SimulationLimits.inFlightMessagesMax)
    }

    @Test("a partition drops messages on blocked links only, and only in the blocked direction")
    func partitionsAreDirected() {
        var network = SimNetwork()
        var random = SimRandom(seed: 1)
        network.block(from: 1, to: 2)
        #expect(network.send(message(from: 1, to: 2), now: 0, random: &random) == .partition)
        #expect(network.send(message(from: 2, to: 1), now: 0, random: &random) == nil)
        network.healPartitions()
        #expect(network.send(message(from: 1, to: 2), now: 0, random: &random) == nil)
    }

    @Test("messages arrive after their delay, in due-tick then send order")
    func deliveryOrder() {
        var network = SimNetwork()
        network.conditions = NetworkConditions(
            lossPercent: 0, duplicatePercent: 0, delayTicksMin: 1, delayTicksMax: 5)
        var random = SimRandom(seed: 3)
        for term in UInt64(1)...20 {
            _ = network.send(message(from: 1, to: 2, term: term), now: 0, random: &random)
        }
        #expect(network.takeDue(now: 0).isEmpty)
        var delivered: [SimNetwork.InFlight] = []
        for now in UInt64(1)...5 { delivered += network.takeDue(now: now) }
        #expect(delivered.count == 20)
        #expect(network.inFlight.isEmpty)
        let order = delivered.map { ($0.deliverAtTick, $0.sequence) }
        #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 })
        #expect(delivered.map(\.message.term) != (1...20).map { UInt64($0) }, "no reordering")
    }

    @Test("full loss drops everything; full duplication delivers everything twice")
    func lossAndDuplication() {
        var random = SimRandom(seed: 9)
        var lossy = SimNetwork()
        lossy.conditions.lossPercent = 100
        #expect(lossy.send(message(from: 1, to: 2), now: 0, random: &random) == .loss)
        var doubling = SimNetwork()
        doubling.conditions.duplicatePercent = 100
        _ = doubling.send(message(from: 1, to: 2), now: 0, random: &random)
        #expect(doubling.inFlight.count == 2)
    }
}
