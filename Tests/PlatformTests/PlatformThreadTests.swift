import Platform
import Testing

@Suite("PlatformThread")
struct PlatformThreadTests {
    @Test("a spawned thread runs its body under its name, and join waits for it")
    func spawnNamesAndJoins() {
        let names = WorkQueue<String>(capacity: 1)
        let thread = PlatformThread.spawn(name: "roost-test") {
            _ = names.offer(PlatformThread.currentName)
        }
        #expect(names.awaitNext() == "roost-test")
        thread.join()
        #expect(thread.isJoined)
    }

    @Test("a name longer than the kernel's 15 bytes is cut, not refused")
    func longName() {
        let names = WorkQueue<String>(capacity: 1)
        let thread = PlatformThread.spawn(name: "a-very-long-thread-name") {
            _ = names.offer(PlatformThread.currentName)
        }
        #expect(names.awaitNext() == "a-very-long-thr")
        thread.join()
    }
}
