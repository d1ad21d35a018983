import Foundation
import HarpTensor

/// Analysis windows.
public enum Windows {
    /// The Hann window of `length` samples; `periodic` (PyTorch's default, for spectral analysis)
    /// divides by `length`, symmetric by `length − 1`.
    ///
    /// ref: `torch.hann_window(length, periodic=True)`.
    public static func hann(_ length: Int, periodic: Bool = true) -> Tensor {
        precondition(length >= 1, "window length must be ≥ 1")
        if length == 1 { return Tensor([1]) }
        let denominator = Double(periodic ? length : length - 1)
        return Tensor((0..<length).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / denominator)) })
    }
}
