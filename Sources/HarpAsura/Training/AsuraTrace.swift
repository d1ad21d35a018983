import HarpTensor

/// The sub-network calls of one forward, recorded as the reference's fixtures name them
/// (`call.decoder_u_m.2.output`), so a parity test can say which call first disagrees.
public final class AsuraTrace {
    public private(set) var values: [String: Tensor] = [:]
    private var counts: [String: Int] = [:]

    public init() {}

    func record(_ network: String, input: Tensor, aux: Tensor?, output: Tensor) {
        let index = counts[network, default: 0]
        counts[network] = index + 1
        values["call.\(network).\(index).input"] = input.detached()
        if let aux { values["call.\(network).\(index).aux"] = aux.detached() }
        values["call.\(network).\(index).output"] = output.detached()
    }

    func record(_ name: String, _ value: Tensor) { values[name] = value.detached() }
}
