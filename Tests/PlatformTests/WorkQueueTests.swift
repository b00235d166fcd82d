import Platform
import Testing

@Suite("WorkQueue")
struct WorkQueueTests {
    @Test("offer succeeds up to capacity and fails at capacity+1 (backpressure)")
    func bounded() {
        let queue = WorkQueue<Int>(capacity: 3)
        #expect(queue.offer(1))
        #expect(queue.offer(2))
        #expect(queue.offer(3))
        #expect(queue.count == 3)
        #expect(!queue.offer(4))
        #expect(queue.takeAll(max: 10, timeoutNanoseconds: 0) == [1, 2, 3])
        #expect(queue.offer(5))
    }

    @Test("takeAll returns at most max elements, oldest first, across the ring's wrap")
    func takeAllMax() {
        let queue = WorkQueue<Int>(capacity: 4)
        for value in 1...4 { #expect(queue.offer(value)) }
        #expect(queue.takeAll(max: 3, timeoutNanoseconds: 0) == [1, 2, 3])
        for value in 5...7 { #expect(queue.offer(value)) }
        #expect(!queue.offer(8))
        #expect(queue.takeAll(max: 2, timeoutNanoseconds: 0) == [4, 5])
        #expect(queue.takeAll(max: 9, timeoutNanoseconds: 0) == [6, 7])
    }

    @Test("takeAll on an empty queue returns nothing once the timeout has passed")
    func timeout() {
        let queue = WorkQueue<Int>(capacity: 1)
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds()
        #expect(queue.takeAll(max: 1, timeoutNanoseconds: 20_000_000).isEmpty)
        #expect(clock.nowNanoseconds() - start >= 20_000_000)
    }

    @Test("a consumer blocked in takeAll wakes when another thread offers")
    func wakesConsumer() {
        let queue = WorkQueue<Int>(capacity: 8)
        let producer = PlatformThread.spawn(name: "wq-producer") {
            #expect(queue.offer(42))
        }
        #expect(queue.awaitNext() == 42)
        producer.join()
    }

    @Test("close refuses offers, wakes the consumer, and leaves queued elements takeable")
    func close() {
        let queue = WorkQueue<Int>(capacity: 4)
        #expect(queue.offer(1))
        queue.close()
        #expect(queue.isClosed)
        #expect(!queue.offer(2))
        #expect(queue.takeAll(max: 4, timeoutNanoseconds: nil) == [1])
        // Closed and drained: returns at once even without a timeout.
        #expect(queue.takeAll(max: 4, timeoutNanoseconds: nil).isEmpty)

        let blocked = WorkQueue<Int>(capacity: 1)
        let done = WorkQueue<Bool>(capacity: 1)
        let consumer = PlatformThread.spawn(name: "wq-consumer") {
            let taken = blocked.takeAll(max: 1, timeoutNanoseconds: nil)
            _ = done.offer(taken.isEmpty)
        }
        blocked.close()
        #expect(done.awaitNext() == true)
        consumer.join()
    }

    @Test("many producers lose nothing and duplicate nothing")
    func manyProducers() {
        let queue = WorkQueue<Int>(capacity: 64)
        let producerCount = 4
        let perProducer = 2_000
        let threads = (0..<producerCount).map { producer in
            PlatformThread.spawn(name: "wq-p\(producer)") {
                for index in 0..<perProducer {
                    while !queue.offer(producer * perProducer + index) {}
                }
            }
        }
        var seen: [Int] = []
        while seen.count < producerCount * perProducer {
            let batch = queue.takeAll(max: 16, timeoutNanoseconds: testDeadlineNanoseconds)
            if batch.isEmpty { break }
            #expect(batch.count <= 16)
            seen += batch
        }
        for thread in threads { thread.join() }
        #expect(seen.sorted() == Array(0..<(producerCount * perProducer)))
    }
}
