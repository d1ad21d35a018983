import Foundation
import HarpAsura
import Testing

@Suite("Asura configuration files")
struct AsuraConfigurationTests {
    static let published = AsuraFixture.directory.appendingPathComponent("asura_published.json")

    @Test func publishedConfigurationLoadsWithTheReferenceSizes() throws {
        let config = try AsuraConfiguration(contentsOf: Self.published)
        let model = config.model
        #expect(model.frameBins == 1024 && model.frameHop == 512)
        #expect(model.lengthFrames == 1024)
        // ref: ASURA.__init__: (frames − 1)·hop + frame for the predicted span and the encoder window.
        #expect(model.lengthSamples == 1023 * 512 + 2048)
        #expect(model.exampleLengthSamples == model.lengthSamples + 255 * 512 + 2048)
        #expect(model.tokenBottleneckBins == 32)
        #expect(model.sequencePredictor.queryHeadCount == 16 && model.sequencePredictor.keyValueHeadCount == 4)
        #expect(model.substepDistribution == .logitNormal(mean: 0, scale: 1))
        #expect(model.contextNoiseGlobal == .triangular(scale: 1))
        #expect(model.timeEncodingWidth == 64 && model.adaptiveWeightMax == 7)
        #expect(config.optimizer.betas == [0.9, 0.95] && config.gradientClip == 1)
        #expect(abs(config.learningRateFactor(step: 5000) - 0.5) < 1e-6)
        #expect(abs(config.learningRateFactor(step: 10000 + 1_000_000) - 0.5) < 1e-6)
    }

    @Test func unknownMissingAndMistypedKeysAreNamedInOneLine() throws {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.published)) as! [String: Any]
        var model = json["model"] as! [String: Any]
        model.removeValue(forKey: "d_token")
        model["d_tokn"] = 512
        var decoder = model["decoder_m"] as! [String: Any]
        decoder["act_fn"] = "snakeglu"
        decoder.removeValue(forKey: "d_bottleneck")
        model["decoder_m"] = decoder
        json["model"] = model
        json["learning_rate"] = 1
        let data = try JSONSerialization.data(withJSONObject: json)
        let error = #expect(throws: AsuraConfigurationError.self) { try AsuraConfiguration(jsonData: data) }
        let message = error?.description ?? ""
        #expect(message == "asura config: missing model.decoder_m.d_bottleneck, model.d_token; "
                + "unknown model.d_tokn, learning_rate; wrong type model.decoder_m.act_fn")
        #expect(!message.contains("\n"))
    }

    @Test func aMissingObjectIsNamedOnceNotKeyByKey() throws {
        let data = Data(#"{"model": {"d_tokn": 3, "d_signal": 2}}"#.utf8)
        let error = #expect(throws: AsuraConfigurationError.self) { try AsuraConfiguration(jsonData: data) }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("asura config: missing model.token_encoder, model.decoder_m, model.decoder_phi, "
                                  + "model.seq_encoder, model.seq_predictor, model.d_token,"))
        #expect(message.hasSuffix("; unknown model.d_tokn"))
        #expect(!message.contains("d_conv_stages") && !message.contains("optim"))
    }

    @Test func inconsistentSizesAreRefused() throws {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.published)) as! [String: Any]
        var model = json["model"] as! [String: Any]
        model["frame_samples"] = 2000
        json["model"] = model
        let data = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: AsuraConfigurationError.self) { try AsuraConfiguration(jsonData: data) }
        #expect(throws: AsuraConfigurationError.unreadable("not valid JSON")) { try AsuraConfiguration(jsonData: Data("{".utf8)) }
    }
}
