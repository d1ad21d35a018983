import HarpTensor

/// The loss terms of one training forward (ref: asura.py `forward`), each a scalar tensor.
public struct AsuraLosses {
    /// `−mean(w)`: the adaptive weight's regulariser.
    public var weight: Tensor
    /// `mean(e^w · frame MSE)` of the velocity decoders, and the unweighted MSE (for logs).
    public var velocityMagnitude: Tensor, velocityMagnitudeRaw: Tensor
    public var velocityPhase: Tensor, velocityPhaseRaw: Tensor
    /// The jump decoders: forward jump to its autoguided two-substep target, plus the backward jump
    /// to the forward substep average (round-trip velocity consistency).
    public var jumpMagnitude: Tensor, jumpPhase: Tensor
    /// The one-step decoders against two jumps of the `u` decoders.
    public var oneStepMagnitude: Tensor, oneStepPhase: Tensor
    /// The sum that is minimised (the raw terms excluded).
    public var total: Tensor

    /// The terms under the reference's names (`loss_all`, `loss_v_m`, …).
    public var named: [(name: String, value: Tensor)] {
        [("loss_all", total), ("loss_w", weight), ("loss_v_m", velocityMagnitude), ("loss_v_m_raw", velocityMagnitudeRaw),
         ("loss_v_phi", velocityPhase), ("loss_v_phi_raw", velocityPhaseRaw), ("loss_u_m", jumpMagnitude),
         ("loss_u_phi", jumpPhase), ("loss_y_m", oneStepMagnitude), ("loss_y_phi", oneStepPhase)]
    }
}
