import Platform

/// Snapshot files in one directory: "<term>-<index>.snap", checksummed, written atomically.
///
/// Write path (PAR §3.3, etcd `snap.Snapshotter.SaveSnap`): stream to "<name>.snap.tmp" with
/// a running CRC-32C, fsync, rename to the final name, fsync the directory, then delete all
/// but the newest `retainCount`. The data is written straight from `Snapshot.data`, never
/// copied.
///
/// Load policy: the newest snapshot is verified in full (length and checksum). If it is
/// corrupt, the one before it is used only if it is intact, and the corrupt file is reported
/// in `LoadResult.corrupt` (left in place for inspection); if both are corrupt, loading
/// fails. Falling back is only useful if the WAL still holds the entries after the older
/// snapshot: release WAL segments only up to the OLDEST snapshot kept.
///
/// Single writer: `save` is called by one thread at a time (the Raft driver or its
/// snapshot helper); `loadNewest` runs at startup.
public final class SnapshotStore: Sendable {
    public struct LoadResult: Sendable {
        /// The snapshot to start from, or nil if the directory holds none.
        public var snapshot: Snapshot?
        /// Corrupt newer snapshots that were skipped, each naming its file.
        public var corrupt: [StorageError]
    }

    public let directory: String
    /// How many snapshot files to keep after a save: the newest plus fallbacks.
    public let retainCount: Int
    /// Largest snapshot data accepted by `save` and `loadNewest`. It bounds the memory a
    /// corrupt length field can make a load allocate; 1M keys is about 300 MB, so 4 GiB
    /// leaves ample room.
    public let dataBytesMax: Int
    /// The data is written and checksummed in pieces of this size, so the CRC runs on bytes
    /// still in cache from the write.
    static let writeChunkBytes = 4 * 1024 * 1024

    /// Opens (creating if needed) the directory and deletes ".snap.tmp" files left by a
    /// crash during `save`.
    public init(directory: String, retainCount: Int = 3, dataBytesMax: Int = 4 << 30)
        throws(StorageError)
    {
        precondition(retainCount >= 1, "retainCount must keep at least one snapshot")
        self.directory = directory
        self.retainCount = retainCount
        self.dataBytesMax = dataBytesMax
        let created = try storageIO(directory, "create directory") { () throws(Errno) in
            try File.makeDirectories(directory)
        }
        var removed = !created.isEmpty
        for name in try listNames() where name.hasSuffix(SnapshotFileFormat.temporarySuffix) {
            let path = directory + "/" + name
            try storageIO(path, "unlink") { () throws(Errno) in try File.remove(path) }
            removed = true
        }
        if removed { try synchronizeDirectory() }
    }

    /// Writes `snapshot` durably, then prunes old snapshots. See the type comment.
    public func save(_ snapshot: Snapshot) throws(StorageError) {
        guard snapshot.data.count <= dataBytesMax else {
            throw StorageError(
                .limitExceeded(
                    what: "snapshot data", bytes: snapshot.data.count, limit: dataBytesMax))
        }
        let path = directory + "/" + SnapshotFileFormat.fileName(snapshot.metadata)
        let temporaryPath = path + ".tmp"
        do {
            try storageIO(temporaryPath, "write snapshot") { () throws(Errno) in
                try File.removeIfPresent(temporaryPath)
                let file = try File.open(temporaryPath, options: [.readWrite, .create, .exclusive])
                defer { file.close() }
                try SnapshotStore.stream(snapshot, to: file)
                try file.synchronize()
            }
            try storageIO(path, "rename snapshot") { () throws(Errno) in
                try File.rename(temporaryPath, to: path)
            }
        } catch {
            try? storageIO(temporaryPath, "unlink") { () throws(Errno) in
                try File.removeIfPresent(temporaryPath)
            }
            throw error
        }
        try synchronizeDirectory()
        try prune()
    }

    private static func stream(_ snapshot: Snapshot, to file: File) throws(Errno) {
        let header = SnapshotFileFormat.header(
            snapshot.metadata, dataBytes: snapshot.data.count)
        var crc = CRC32C()
        crc.update(header)
        try file.append(header)
        let result = snapshot.data.withUnsafeBytes { raw in
            Result { () throws(Errno) in
                var position = 0
                while position < raw.count {
                    let end = min(position + writeChunkBytes, raw.count)
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[position..<end])
                    crc.update(chunk)
                    try file.append(chunk)
                    position = end
                }
            }
        }
        try result.get()
        var trailer: [UInt8] = []
        StorageBytes.append(crc.value, to: &trailer)
        try file.append(trailer)
    }

    /// The newest intact snapshot, under the fallback policy in the type comment.
    public func loadNewest() throws(StorageError) -> Snapshot? {
        try loadNewestReportingCorruption().snapshot
    }

    /// `loadNewest`, also returning the corrupt snapshot it skipped, if any.
    public func loadNewestReportingCorruption() throws(StorageError) -> LoadResult {
        let paths = try snapshotPathsNewestFirst()
        guard let newest = paths.first else { return LoadResult(snapshot: nil, corrupt: []) }
        do {
            return LoadResult(snapshot: try load(newest), corrupt: [])
        } catch let newestError {
            guard case .corrupt = newestError.kind, paths.count > 1,
                let fallback = try? load(paths[1])
            else { throw newestError }
            return LoadResult(snapshot: fallback, corrupt: [newestError])
        }
    }

    /// Paths of final snapshot files, newest (highest index, then term) first.
    func snapshotPathsNewestFirst() throws(StorageError) -> [String] {
        let parsed = try listNames().compactMap { name in
            SnapshotFileFormat.parseFileName(name).map { (name, $0.term, $0.index) }
        }
        return parsed.sorted { ($0.2, $0.1) > ($1.2, $1.1) }.map { directory + "/" + $0.0 }
    }

    private func prune() throws(StorageError) {
        let paths = try snapshotPathsNewestFirst()
        guard paths.count > retainCount else { return }
        for path in paths[retainCount...] {
            try storageIO(path, "unlink") { () throws(Errno) in try File.remove(path) }
        }
        try synchronizeDirectory()
    }

    private func listNames() throws(StorageError) -> [String] {
        try storageIO(directory, "list directory") { () throws(Errno) in
            try File.listDirectory(directory)
        }
    }

    private func synchronizeDirectory() throws(StorageError) {
        try storageIO(directory, "fsync directory") { () throws(Errno) in
            try File.synchronizeDirectory(directory)
        }
    }
}
