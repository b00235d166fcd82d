import Platform

/// Opening and recovering a WAL directory.
extension WriteAheadLog {
    /// Opens the WAL in `directory`, creating the directory and a first segment if there is
    /// none, and replays it. Takes an exclusive `flock` on the directory for the life of the
    /// log. `snapshot` is the snapshot the caller loaded (nil: the newest marker in the WAL):
    /// replay returns the entries after it, and a snapshot newer than every marker (a crash
    /// between `SnapshotStore.save` and `recordSnapshot`) is recorded now.
    public static func open(
        directory: String, options: WALOptions = WALOptions(), snapshot: SnapshotMetadata? = nil
    ) throws(StorageError) -> (WriteAheadLog, Recovered) {
        precondition(options.segmentBytes > 0, "segmentBytes must be positive")
        let lock = try lockDirectory(directory)
        let names = try listSegments(directory, lock: lock)
        guard !names.isEmpty else {
            return try createLog(directory: directory, options: options, lock: lock, snapshot)
        }
        var replay = WALReplay(callerSnapshotIndex: snapshot?.index)
        var segments: [Segment] = []
        var last: WALSegmentScanner.Result?
        for name in names {
            let path = directory + "/" + name.fileName
            let input = WALSegmentScanner.Input(
                path: path, name: name, previousCRC: last?.committedCRC,
                isLast: name == names.last, payloadBytesMax: options.recordPayloadBytesMax)
            let bytes = try readWholeFile(path)
            let result = try bytes.withStorageBytes { (raw) throws(StorageError) in
                try WALSegmentScanner.scan(raw, input, replay: &replay)
            }
            segments.append(Segment(name: name, path: path, maxEntryIndex: result.maxEntryIndex))
            last = result
        }
        guard let last, let lastSegment = segments.last else {
            preconditionFailure("segments were listed but none was scanned")
        }
        if let problem = replay.finish() {
            if snapshot != nil { throw StorageError(.missingEntries(problem)) }
            let start = replay.runStart ?? WALReplay.Location(path: lastSegment.path, offset: 0)
            throw .corrupt(path: start.path, offset: start.offset, reason: problem)
        }
        if last.tornTail {
            try clearTornTail(lastSegment.path, from: last.committedOffset)
        }
        let file = try storageIO(lastSegment.path, "open segment") { () throws(Errno) in
            let file = try File.open(lastSegment.path, options: [.readWrite])
            // A last segment cut short (by a crash or an operator) gets its preallocation
            // back, so appends do not grow the file.
            if try file.sizeBytes() < options.segmentBytes {
                try file.preallocate(bytes: options.segmentBytes)
                try file.synchronize()
            }
            return file
        }
        let state = State(
            segments: segments, current: file, offset: last.committedOffset,
            dataStartOffset: last.committedOffset, chainCRC: last.committedCRC,
            hardState: replay.hardState, snapshot: replay.snapshot,
            lastIndex: max(replay.lastIndex, snapshot?.index ?? 0))
        let log = WriteAheadLog(
            directory: directory, options: options, directoryLock: lock, state: state)
        if let snapshot, snapshot.index > replay.snapshot?.index ?? 0 {
            try log.recordSnapshot(snapshot)
        }
        let recovered = Recovered(
            hardState: replay.hardState, entries: replay.entries,
            snapshotMetadata: log.snapshot, repairedTornTail: last.tornTail)
        return (log, recovered)
    }

    /// mkdir -p (fsyncing the parent of each directory it creates), then an exclusive,
    /// non-blocking `flock` on the directory itself.
    private static func lockDirectory(_ directory: String) throws(StorageError) -> File {
        let created = try storageIO(directory, "create directory") { () throws(Errno) in
            try File.makeDirectories(directory)
        }
        for path in created {
            let parent = File.parentDirectory(of: path)
            try storageIO(parent, "fsync directory") { () throws(Errno) in
                try File.synchronizeDirectory(parent)
            }
        }
        let lock = try storageIO(directory, "open directory") { () throws(Errno) in
            try File.open(directory, options: [.directory])
        }
        let locked = try storageIO(directory, "flock") { () throws(Errno) in
            try lock.tryLockExclusive()
        }
        guard locked else { throw StorageError(.lockedByAnotherProcess(path: directory)) }
        return lock
    }

    /// The segment names in sequence order, after deleting leftover ".wal.tmp" files. A gap
    /// or a repeat in the sequence is corruption: a segment was lost or copied in.
    private static func listSegments(_ directory: String, lock: File) throws(StorageError)
        -> [WALSegmentName]
    {
        let files = try storageIO(directory, "list directory") { () throws(Errno) in
            try File.listDirectory(directory)
        }
        var names: [WALSegmentName] = []
        var removedTemporary = false
        for file in files {
            if file.hasSuffix(WALSegmentName.temporarySuffix) {
                let path = directory + "/" + file
                try storageIO(path, "unlink") { () throws(Errno) in try File.remove(path) }
                removedTemporary = true
            } else if file.hasSuffix(WALSegmentName.suffix) {
                guard let name = WALSegmentName(fileName: file) else {
                    throw .corrupt(
                        path: directory + "/" + file, offset: 0,
                        reason: "a .wal file whose name is not <sequence>-<index>.wal")
                }
                names.append(name)
            }
        }
        if removedTemporary {
            try storageIO(directory, "fsync directory") { () throws(Errno) in
                try lock.synchronize()
            }
        }
        names.sort()
        for (previous, next) in zip(names, names.dropFirst())
        where next.sequence != previous.sequence + 1 {
            let detail =
                next.sequence == previous.sequence
                ? "repeats sequence \(next.sequence) of \(previous.fileName)"
                : "follows sequence \(previous.sequence): segments are missing"
            throw .corrupt(path: directory + "/" + next.fileName, offset: 0, reason: detail)
        }
        return names
    }

    private static func createLog(
        directory: String, options: WALOptions, lock: File, _ snapshot: SnapshotMetadata?
    ) throws(StorageError) -> (WriteAheadLog, Recovered) {
        let lastIndex = snapshot?.index ?? 0
        let name = WALSegmentName(sequence: 1, firstIndex: lastIndex + 1)
        let created = try createSegment(
            directory: directory, directoryLock: lock, name: name,
            content: SegmentContent(previousCRC: 0, hardState: HardState(), snapshot: snapshot),
            options: options)
        let state = State(
            segments: [Segment(name: name, path: created.file.path, maxEntryIndex: nil)],
            current: created.file, offset: created.endOffset,
            dataStartOffset: created.endOffset, chainCRC: created.chainCRC,
            hardState: HardState(), snapshot: snapshot, lastIndex: lastIndex)
        let log = WriteAheadLog(
            directory: directory, options: options, directoryLock: lock, state: state)
        let recovered = Recovered(
            hardState: HardState(), entries: [], snapshotMetadata: snapshot,
            repairedTornTail: false)
        return (log, recovered)
    }

    private static func readWholeFile(_ path: String) throws(StorageError) -> [UInt8] {
        try storageIO(path, "read segment") { () throws(Errno) in
            let file = try File.open(path, options: [])
            defer { file.close() }
            return try file.read(count: try file.sizeBytes(), at: 0)
        }
    }

    /// Zeroes the torn bytes after the last complete batch (so stale non-zero bytes cannot
    /// later pass for records: etcd `fileutil.ZeroToEnd`), and syncs.
    private static func clearTornTail(_ path: String, from offset: Int)
        throws(StorageError)
    {
        try storageIO(path, "repair torn tail") { () throws(Errno) in
            let file = try File.open(path, options: [.readWrite])
            defer { file.close() }
            let size = try file.sizeBytes()
            let zeroChunkBytes = 1 << 20
            let zeros = [UInt8](repeating: 0, count: min(zeroChunkBytes, max(size - offset, 0)))
            var position = offset
            while position < size {
                let count = min(zeros.count, size - position)
                try file.write(Array(zeros[..<count]), at: position)
                position += count
            }
            try file.synchronizeData()
        }
    }
}
