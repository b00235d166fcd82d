import Platform
import Testing

@Suite("EventLoopGroup")
struct EventLoopGroupTests {
    @Test("a group runs one named thread per loop and shutdown joins them all")
    func startAndShutdown() throws {
        let group = try EventLoopGroup(loopCount: 3, namePrefix: "elg")
        #expect(group.loops.map(\.name) == ["elg-0", "elg-1", "elg-2"])
        let names = WorkQueue<String>(capacity: 3)
        for loop in group.loops {
            loop.execute { _ = names.offer(PlatformThread.currentName) }
        }
        var seen: [String] = []
        for _ in 0..<3 { if let name = names.awaitNext() { seen.append(name) } }
        #expect(seen.sorted() == ["elg-0", "elg-1", "elg-2"])
        #expect(group.loops.allSatisfy { $0.isRunning })
        group.shutdown()
        #expect(group.loops.allSatisfy { !$0.isRunning })
        group.shutdown()
    }

    @Test("next() hands out the loops round robin")
    func roundRobin() throws {
        let group = try EventLoopGroup(loopCount: 3, namePrefix: "rr")
        let picked = (0..<7).map { _ in group.next().name }
        let first = group.loops.firstIndex { $0.name == picked[0] } ?? 0
        let expected = (0..<7).map { group.loops[(first + $0) % 3].name }
        #expect(picked == expected)
        group.shutdown()
    }
}
