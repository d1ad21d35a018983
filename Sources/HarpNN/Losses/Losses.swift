import HarpTensor

/// Loss functions with PyTorch's names and mean reduction (`torch.nn.functional.*_loss`).
public enum Losses {
    /// `mean((prediction − target)²)` (`F.mse_loss`). Shapes equal (or broadcastable).
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        (prediction - target).square().mean()
    }

    /// `mean(|prediction − target|)` (`F.l1_loss`); the gradient at a tie is 0, as `sign` gives.
    public static func l1(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        (prediction - target).abs().mean()
    }

    /// `−mean_n log softmax(logits[n])[targets[n]]` (`F.cross_entropy` with class indices).
    ///
    /// - Parameters:
    ///   - logits: `[batch, classes]`.
    ///   - targets: `batch` class indices in `0..<classes`.
    public static func crossEntropy(logits: Tensor, targets: [Int]) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == targets.count,
                     "crossEntropy: logits \(logits.shape) for \(targets.count) targets")
        let classes = logits.shape[1]
        precondition(targets.allSatisfy { (0..<classes).contains($0) }, "crossEntropy: target outside 0..<\(classes)")
        let oneHot = Tensor(shape: logits.shape) { values in
            values.initialize(repeating: 0)
            for (row, target) in targets.enumerated() { values[row * classes + target] = 1 }
        }
        return -(logits.logSoftmax(alongAxis: 1) * oneHot).sum() / Float(Swift.max(targets.count, 1))
    }
}
