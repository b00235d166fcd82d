import KVStore
import Platform

/// The watch stream's response objects: `{"result":{…}}` and a newline, one per chunk.
extension EtcdWatchStream {
    func respond(_ build: (inout JSONWriter, EtcdResponseEncoder) -> Void) {
        var writer = JSONWriter(reservingCapacity: 512)
        let encoder = EtcdResponseEncoder(identity: keySpace.identity)
        writer.beginObject()
        writer.key("result")
        writer.beginObject()
        build(&writer, encoder)
        writer.endObject()
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(0x0A)
        stream.send(bytes)
    }

    func storeRevision() -> Int64 {
        (try? keySpace.withStore { (store) throws(KVError) in store.revision }) ?? 0
    }

    func sendCreated(etcdID: Int64, revision: Int64) {
        respond { writer, encoder in
            encoder.header(&writer, revision: revision)
            encoder.nonZero(&writer, "watch_id", etcdID)
            writer.key("created")
            writer.bool(true)
        }
    }

    func sendEvents(etcdID: Int64, events: [Event]) {
        let revision = events.last?.kv.modRevision ?? storeRevision()
        highestSentRevision = max(highestSentRevision, revision)
        respond { writer, encoder in
            encoder.header(&writer, revision: revision)
            encoder.nonZero(&writer, "watch_id", etcdID)
            writer.key("events")
            writer.beginArray()
            for event in events { encoder.event(&writer, event) }
            writer.endArray()
        }
    }

    /// A create request etcd refuses before registering a watcher: one response that is
    /// both `created` and `canceled`, with watch_id -1 (`clientv3.InvalidWatchID`).
    func refuse(reason: String) {
        sendCanceled(etcdID: -1, created: true, compactRevision: 0, reason: reason)
    }

    func sendCanceled(etcdID: Int64, created: Bool, compactRevision: Int64, reason: String?) {
        // A compaction cancel comes from the mvcc store with revision 0, so etcd's header
        // has no revision (`chooseAll` in watchable_store.go, `newResponseHeader`).
        let revision = compactRevision != 0 ? 0 : storeRevision()
        respond { writer, encoder in
            encoder.header(&writer, revision: revision)
            encoder.nonZero(&writer, "watch_id", etcdID)
            if created {
                writer.key("created")
                writer.bool(true)
            }
            writer.key("canceled")
            writer.bool(true)
            encoder.nonZero(&writer, "compact_revision", compactRevision)
            if let reason {
                writer.key("cancel_reason")
                writer.string(reason)
            }
        }
    }
}
