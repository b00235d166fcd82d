/// etcd's range consistency: linearizable (a read index round) or serializable (local).
enum Consistency: String {
    case linearizable = "l"
    case serializable = "s"
}
