import Testing

@testable import ConfdAgent

@Suite("how watch mode follows the catalog (Consul blocking queries)")
struct ConfdChangeFeedTests {
    static func health(_ count: Int) -> [ConsulQuery: UInt64] {
        Dictionary(uniqueKeysWithValues: (0..<count).map { (.health(service: "s\($0)"), 7) })
    }

    @Test("every read is followed from its index, up to healthQueriesMax health queries")
    func atLimit() {
        var read = Self.health(ConfdChangeFeed.healthQueriesMax)
        read[.nodes] = 5
        #expect(ConfdChangeFeed.blockingQueries(read) == read)
    }

    @Test("one health query over the limit: the service list query stands in for them all")
    func overLimit() {
        var read = Self.health(ConfdChangeFeed.healthQueriesMax + 1)
        read[.serviceList] = 9
        read[.nodes] = 5
        #expect(ConfdChangeFeed.blockingQueries(read) == [.serviceList: 9, .nodes: 5])
    }

    @Test("query paths: passing instances of one service, the service list, the nodes")
    func paths() {
        #expect(ConsulQuery.health(service: "web").path == "/v1/health/service/web?passing")
        #expect(ConsulQuery.health(service: "a b/c").path == "/v1/health/service/a%20b%2Fc?passing")
        #expect(ConsulQuery.serviceList.path == "/v1/catalog/services")
        #expect(ConsulQuery.nodes.path == "/v1/catalog/nodes")
    }

    /// Feeds `answers` to an index started at `start`: whether each answer woke, and the
    /// index the next query sends, as "wake 12" or "quiet 12".
    static func replay(start: UInt64, _ answers: [UInt64]) -> [String] {
        var index = BlockingQueryIndex(start: start)
        var steps = ["start \(index.value)"]
        for answer in answers {
            let woke = index.record(answered: answer)
            steps.append("\(woke ? "wake" : "quiet") \(index.value)")
        }
        return steps
    }

    @Test("an index that moved wakes; one that did not (a timed-out wait) does not")
    func moves() {
        #expect(
            Self.replay(start: 10, [10, 12, 12]) == ["start 10", "quiet 10", "wake 12", "quiet 12"])
    }

    @Test("an index that went backwards resets to 0 and wakes, then resumes (consul.md §2.2)")
    func backwards() {
        // After the reset the query does not block: it answers at once with the index.
        #expect(Self.replay(start: 12, [4, 4, 4]) == ["start 12", "wake 0", "wake 4", "quiet 4"])
    }

    @Test("an index of 0, read or answered, counts as 1 so the next query blocks (§2.2)")
    func zero() {
        #expect(
            Self.replay(start: 0, [0, 3, 0, 0])
                == ["start 1", "quiet 1", "wake 3", "wake 0", "wake 1"])
    }

    @Test("the loop is paced: a burst of 2 at once, then one query per interval")
    func pace() {
        var pace = BlockingQueryPace()
        let interval = BlockingQueryPace.intervalNanoseconds
        let start: UInt64 = 1_000_000_000
        let later = start + 60 * 1_000_000_000
        // The third query goes out one interval later and the fourth one more; after a
        // long blocking wait the burst is there again.
        let times = [start, start, start, start + interval, later, later, later + interval / 2]
        var delays: [UInt64] = []
        for time in times { delays.append(pace.delayNanoseconds(now: time)) }
        #expect(delays == [0, 0, interval, interval, 0, 0, interval / 2])
    }

    @Test("a query no longer wanted retires its thread; one still wanted keeps it (SIGHUP)")
    func tickets() {
        let tickets = BlockingQueryTickets()
        let web = ConsulQuery.health(service: "web")
        let started = tickets.update(wanted: [web, .nodes])
        #expect(Set(started.map(\.query)) == [web, .nodes])
        let webTicket = started.first { $0.query == web }?.ticket ?? 0
        let nodesTicket = started.first { $0.query == .nodes }?.ticket ?? 0
        #expect(tickets.isCurrent(web, ticket: webTicket))
        let next = tickets.update(wanted: [web, .serviceList])
        #expect(next.map(\.query) == [.serviceList], "web keeps its thread")
        #expect(tickets.isCurrent(web, ticket: webTicket))
        #expect(!tickets.isCurrent(.nodes, ticket: nodesTicket), "nodes retired")
        // Wanted again later: a new thread, and the old one's ticket stays retired.
        let again = tickets.update(wanted: [web, .serviceList, .nodes])
        #expect(again.map(\.query) == [.nodes])
        #expect(!tickets.isCurrent(.nodes, ticket: nodesTicket))
        tickets.retireAll()
        #expect(tickets.queries.isEmpty && !tickets.isCurrent(web, ticket: webTicket))
    }
}
