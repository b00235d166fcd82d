/// Fault rates drawn once per seed (TigerBeetle VOPR swarm testing: each seed gets its own
/// mix, so rare combinations come up across seeds).
struct SwarmParameters {
    var clientCount: Int
    var keyCount: Int
    var lossPercentMax: Int
    var duplicatePercentMax: Int
    var delayTicksMax: Int
    var crashPerMille: Int
    /// Chance that a crash interrupts the node's next write rather than happening between
    /// writes.
    var midWriteCrashPercent: Int
    /// Chance that a node crashes right after persisting and sending a vote (etcd's
    /// `raftAfterSave` failpoint at the moment that matters for elections).
    var crashAfterVotePercent: Int
    var restartDelayTicksMax: Int
    var membershipPerMille: Int
    var transferPerMille: Int
    var readPercent: Int
    /// Core knobs drawn per seed (FoundationDB randomizes knobs the same way).
    var preVote: Bool
    var checkQuorum: Bool
    /// Short timeouts against long delays make split votes (and so competing candidates of
    /// one term) common.
    var electionTicks: Int

    init(random: inout SimRandom) {
        clientCount = random.int(in: 2...6)
        keyCount = random.int(in: 1...4)
        lossPercentMax = random.int(in: 0...30)
        duplicatePercentMax = random.int(in: 0...20)
        delayTicksMax = random.int(in: 1...8)
        crashPerMille = random.int(in: 0...8)
        midWriteCrashPercent = random.int(in: 0...60)
        crashAfterVotePercent = random.int(in: 0...60)
        restartDelayTicksMax = random.int(in: 2...120)
        membershipPerMille = random.int(in: 0...6)
        transferPerMille = random.int(in: 0...12)
        readPercent = random.int(in: 20...70)
        preVote = random.chance(70)
        checkQuorum = random.chance(70)
        electionTicks = random.int(in: 5...15)
    }
}
