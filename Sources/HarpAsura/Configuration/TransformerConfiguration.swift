/// The sequence encoder or predictor (`Transformer` in the reference's `modules.py`): layers
/// alternate grouped-query attention and feed-forward, `num_layers` in all.
public struct TransformerConfiguration: Equatable, Sendable {
    public var layerCount: Int
    public var modelWidth: Int
    public var headWidth: Int
    /// Query heads per key/value head.
    public var queryGrouping: Int
    public var feedForwardMultiplier: Int
    public var activation: Activation

    init(_ object: inout ConfigurationReader.Object) {
        layerCount = object.int("num_layers")
        modelWidth = object.int("d_model")
        headWidth = object.int("attn_d_head")
        queryGrouping = object.int("attn_query_grouping")
        feedForwardMultiplier = object.int("ff_mult")
        let activationName = object.string("act_fn")
        activation = Activation(name: activationName) ?? .silu
        if Activation(name: activationName) == nil { object.reportWrongType("act_fn") }
        object.finish()
    }

    public var queryHeadCount: Int { modelWidth / headWidth }
    public var keyValueHeadCount: Int { max(1, queryHeadCount / queryGrouping) }

    func validate(name: String) throws(AsuraConfigurationError) {
        guard layerCount > 0, modelWidth > 0, headWidth > 0, queryGrouping > 0, feedForwardMultiplier > 0 else {
            throw .inconsistent("\(name): sizes must be positive")
        }
        guard modelWidth % headWidth == 0, headWidth % 2 == 0, queryHeadCount % keyValueHeadCount == 0 else {
            throw .inconsistent("\(name): d_model \(modelWidth) must be a multiple of an even attn_d_head \(headWidth), with query heads divisible into groups")
        }
    }
}
