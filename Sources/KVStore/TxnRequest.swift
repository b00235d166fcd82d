/// `etcdserverpb.RequestOp`: one operation of a txn branch.
public indirect enum RequestOp: Sendable, Equatable {
    case range(RangeRequest)
    case put(PutRequest)
    case deleteRange(DeleteRangeRequest)
    case txn(TxnRequest)
}

/// `etcdserverpb.ResponseOp`: the answer to one `RequestOp`, in request order.
public indirect enum ResponseOp: Sendable, Equatable {
    case range(RangeResponse)
    case put(PutResponse)
    case deleteRange(DeleteRangeResponse)
    case txn(TxnResponse)
}

/// `etcdserverpb.TxnRequest`: if every compare holds run `success`, else `failure`.
public struct TxnRequest: Sendable, Equatable {
    public var compare: [Compare]
    public var success: [RequestOp]
    public var failure: [RequestOp]

    public init(compare: [Compare] = [], success: [RequestOp] = [], failure: [RequestOp] = []) {
        self.compare = compare
        self.success = success
        self.failure = failure
    }
}

/// `etcdserverpb.TxnResponse`.
public struct TxnResponse: Sendable, Equatable {
    /// Header revision. For a nested txn etcd leaves the header empty, so it is 0 there.
    public var revision: Int64
    public var succeeded: Bool
    public var responses: [ResponseOp]

    public init(revision: Int64, succeeded: Bool, responses: [ResponseOp] = []) {
        self.revision = revision
        self.succeeded = succeeded
        self.responses = responses
    }
}
