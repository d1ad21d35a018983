import Foundation

/// An Asura config file (shaped like the reference's `configs/asura/asura.json`): the model, and
/// the optimisation settings the trainer uses. Unknown or missing keys are reported together, by
/// dotted path, in one error.
public struct AsuraConfiguration: Equatable, Sendable {
    public struct Optimizer: Equatable, Sendable {
        /// `adamw` or `adam`.
        public var type: String
        public var learningRate: Float
        public var weightDecay: Float
        public var betas: [Float]
    }

    public var model: AsuraModelConfiguration
    public var batchSize: Int
    public var batchSizePerDevice: Int
    public var optimizer: Optimizer
    public var warmupSteps: Int
    /// `exponential`, `reciprocal`, `quadratic`, or `nil` for constant after warm-up.
    public var learningRateDecay: String?
    public var decayHalfLife: Int
    public var gradientClip: Float?
    /// Every value of the file by dotted path (`model.d_token` → `512`): what a checkpoint keeps
    /// to refuse resuming with other settings, naming each difference.
    public let flattened: [String: String]

    /// Keys of the reference trainer that Harp's trainer does not use (paths, logging cadence);
    /// accepted so that published files load.
    static let bookkeepingKeys = [
        "train_data", "eval_data", "save_every", "eval_every", "eval_examples", "eval_log_examples",
        "sample_every", "sample_count_fixed", "sample_count_random", "sample_count_gold", "sample_clip",
        "sample_length", "epochs", "run_name", "sanity_check",
    ]

    /// Parses and checks a config file's bytes.
    public init(jsonData: Data) throws(AsuraConfigurationError) {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: jsonData) } catch {
            throw .unreadable("not valid JSON")
        }
        guard let members = parsed as? [String: Any] else { throw .unreadable("the top level is not a JSON object") }
        flattened = Self.flatten(members)
        let reader = ConfigurationReader()
        var root = reader.root(members)
        var modelObject = root.object("model")
        model = AsuraModelConfiguration(&modelObject)
        batchSize = root.int("batch_size", default: 8)
        batchSizePerDevice = root.int("batch_size_per_device", default: batchSize)
        var optimObject = root.object("optim", optional: true)
        optimizer = Optimizer(type: optimObject.string("type", default: "adamw"),
                              learningRate: optimObject.float("lr", default: 1e-4),
                              weightDecay: optimObject.float("weight_decay", default: 0),
                              betas: optimObject.floats("betas", default: [0.9, 0.999]))
        if !["adam", "adamw"].contains(optimizer.type.lowercased()) { optimObject.reportWrongType("type") }
        if optimizer.betas.count != 2 { optimObject.reportWrongType("betas") }
        optimObject.finish()
        warmupSteps = root.int("lr_warmup", default: 0)
        let decay = root.string("lr_decay", default: "")
        learningRateDecay = decay.isEmpty ? nil : decay
        if !["", "exponential", "reciprocal", "quadratic"].contains(decay) { root.reportWrongType("lr_decay") }
        decayHalfLife = root.int("lr_decay_halflife", default: 1000)
        let clip = root.float("clip_grad", default: -1)
        gradientClip = clip > 0 ? clip : nil
        root.accept(Self.bookkeepingKeys)
        root.finish()
        try reader.finish()
        try model.validate()
        guard batchSize > 0 else { throw .inconsistent("batch_size must be positive") }
    }

    static func flatten(_ value: Any, path: String = "") -> [String: String] {
        if let object = value as? [String: Any] {
            return object.reduce(into: [:]) { result, member in
                result.merge(flatten(member.value, path: path.isEmpty ? member.key : "\(path).\(member.key)")) { a, _ in a }
            }
        }
        if let array = value as? [Any] { return [path: "[" + array.map { "\($0)" }.joined(separator: ", ") + "]"] }
        return [path: "\(value)"]
    }

    /// Reads and checks a config file.
    public init(contentsOf url: URL) throws(AsuraConfigurationError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable("cannot read \(url.path)") }
        guard data.count < 1_000_000 else { throw .unreadable("\(url.path) is larger than 1 MB") }
        try self.init(jsonData: data)
    }

    /// The learning-rate factor at `step` (the reference's `LambdaLR`: linear warm-up, then decay).
    public func learningRateFactor(step: Int) -> Float {
        if step < warmupSteps { return Float(step) / Float(warmupSteps) }
        let x = Float(step - warmupSteps) / Float(max(decayHalfLife, 1))
        switch learningRateDecay {
        case "exponential": return Foundation.pow(2, -x)
        case "reciprocal": return 1 / (1 + x)
        case "quadratic": return 1 / (1 + x * x)
        default: return 1
        }
    }
}
