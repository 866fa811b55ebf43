using Converge.Data;
using Converge.Modules;
using Converge.Persistence;
using Converge.Tensors;

namespace Converge.Classification;

/// <summary>A <see cref="BinaryClassifier"/> to and from one safetensors model file (see <see cref="ModelFile"/>, which validates everything before anything is built).</summary>
internal static class ClassifierFile
{
    public static void Save(BinaryClassifier model, string path) => ModelFile.Save(path, new ModelContents(
        model.Architecture, model.Preprocessing,
        model.Scaler is null ? null : new ScalerState([.. model.Scaler.Mean], [.. model.Scaler.Scale]),
        model.Threshold, model.Training,
        StateOf(model.Members[0]),
        model.Members.Count == 1 ? null : [.. model.Members.Skip(1).Select(StateOf)],
        model.Calibration));

    public static BinaryClassifier Load(string path)
    {
        var contents = ModelFile.Load(path);
        Sequential[] networks = [.. new[] { contents.State }.Concat(contents.MoreMembers ?? []).Select(state =>
        {
            var network = contents.Architecture.Build(new Generator(0));
            foreach (var (name, tensor) in network.StateDict()) state[name].CopyTo(tensor.Data, 0);
            return network;
        })];
        Preprocessor preprocessor;
        try
        {
            preprocessor = Preprocessor.FromSpec(contents.Preprocessing);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException($"{Path.GetFileName(path)}: invalid preprocessing: {e.Message}", e);
        }
        var scaler = contents.Scaler is null ? null : new StandardScaler(contents.Scaler.Mean, contents.Scaler.Scale);
        return new BinaryClassifier(preprocessor, scaler, networks, contents.Architecture, contents.Threshold, contents.Training, contents.Calibration);
    }

    private static Dictionary<string, float[]> StateOf(Sequential network) =>
        network.StateDict().ToDictionary(static kv => kv.Key, static kv => kv.Value.Data, StringComparer.Ordinal);
}
