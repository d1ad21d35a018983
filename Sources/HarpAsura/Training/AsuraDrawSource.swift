import HarpTensor

/// Which distribution of the config a draw comes from.
public enum AsuraDrawRole: String, Sendable {
    case contextNoiseGlobal = "eps_ctx_global"
    case contextNoiseFrame = "eps_ctx_frame"
    case time = "t"
    case substep = "s"
}

/// Every random number of a training forward, asked for in the reference's order, so that a run
/// can be replayed from the reference's recorded draws (`RecordedDraws`) or drawn afresh
/// (`RandomDraws`).
public protocol AsuraDrawSource: AnyObject {
    /// Noise from the prior: magnitude frames (last axis = channels) or phase frames (last axis =
    /// re/im pairs).
    func prior(_ shape: [Int], isMagnitude: Bool) -> Tensor
    /// Draws from one of the config's distributions.
    func sample(_ distribution: AsuraDistribution, role: AsuraDrawRole, shape: [Int]) -> Tensor
    /// Integers uniform in `0..<upperBound` (`torch.randint`).
    func integers(below upperBound: Int, shape: [Int]) -> [Int]
    /// For each of `rows` rows, `size` distinct indices of `0..<count` in random order
    /// (`torch.multinomial` over equal weights, without replacement).
    func subsets(of count: Int, size: Int, rows: Int) -> [[Int]]
    /// 0/1 values, 1 with probability `keep` (`torch.bernoulli`).
    func bernoulli(keep: Float, shape: [Int]) -> Tensor
}
