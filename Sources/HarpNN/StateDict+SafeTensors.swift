import Foundation
import HarpTensor

extension Module {
    /// Saves the state dict to a safetensors file at `url` (atomically), with string `metadata`
    /// such as the model's configuration as JSON, readable by `safetensors` in Python.
    public func save(to url: URL, metadata: [String: String] = [:]) throws(StateDictError) {
        do {
            try SafeTensors.write(stateDict(), metadata: metadata, to: url)
        } catch {
            throw .file(error)
        }
    }

    /// Loads the state dict saved at `url` (see `load(stateDict:strict:)`) and returns the file's
    /// metadata. Only the tensors the module has are converted.
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws(StateDictError) -> [String: String] {
        do {
            let file = try SafeTensorsFile(contentsOf: url)
            let wanted = Set(namedStateEntries().map(\.name))
            var tensors: [String: Tensor] = [:]
            for name in file.names {
                // Unexpected names still need a placeholder so strict loading can report them.
                tensors[name] = wanted.contains(name) ? try file.tensor(named: name) : Tensor.zeros([0])
            }
            try load(stateDict: tensors, strict: strict)
            return file.metadata
        } catch let error as StateDictError {
            throw error
        } catch let error as TensorFileError {
            throw .file(error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }
}
