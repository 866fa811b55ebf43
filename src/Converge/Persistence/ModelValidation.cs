using System.Globalization;
using Converge.Data;
using Converge.Training;

namespace Converge.Persistence;

/// <summary>
/// The semantic checks a model file passes before anything is built from it, in one place: every
/// rule is a method called from <see cref="Check"/>, so a new metadata field gets its rule here. The
/// checksums prove the bytes are the ones written; these rules prove that what was written makes
/// sense (a crafted file can carry valid checksums) and that building it is bounded: the network is
/// allocated only after its tensor table has been matched against the architecture.
/// </summary>
internal static class ModelValidation
{
    /// <summary>
    /// The largest magnitude accepted for a weight or bias. Training never gets near it (a diverging run
    /// stops at non-finite values); 3e38-sized weights make finite inputs overflow to NaN.
    /// </summary>
    public const float MaxAbsWeight = 1e8f;

    /// <summary>Throws a <see cref="ModelFileException"/> naming <paramref name="file"/> and the first rule broken.</summary>
    /// <param name="contents">The parsed metadata and the tensors by name.</param>
    /// <param name="fileOrder">The tensors in the order of their bytes in the file.</param>
    /// <param name="file">The file name for messages.</param>
    public static void Check(ModelContents contents, IReadOnlyList<TensorEntry> fileOrder, string file)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(fileOrder);
        CheckArchitecture(contents.Architecture, file);
        CheckPreprocessing(contents.Preprocessing, contents.Architecture, file);
        CheckScaler(contents.Scaler, contents.Architecture, file);
        CheckTraining(contents.Training, file);
        if (contents.Calibration?.Problem() is { } problem) throw new ModelFileException($"{file}: invalid calibration: {problem}.");
        CheckTensors(contents.Architecture, contents.MemberCount, fileOrder, file);
    }

    private static void CheckArchitecture(NetworkSpec architecture, string file)
    {
        if (architecture.Hidden is null) throw Incomplete(file, "architecture", "hidden");
        try
        {
            architecture.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException($"{file}: invalid architecture: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    private static void CheckPreprocessing(PreprocessingSpec spec, NetworkSpec architecture, string file)
    {
        if (spec.Columns is null) throw Incomplete(file, "preprocessing", "columns");
        if (spec.FeatureNames is null) throw Incomplete(file, "preprocessing", "feature_names");
        if (spec.Label is null) throw Incomplete(file, "preprocessing", "label");
        if (!Enum.IsDefined(spec.MissingPolicy)) throw Invalid(file, $"unknown missing-value policy {(int)spec.MissingPolicy}");
        var label = spec.Label;
        if (label.Column is null || label.Negative is null || label.Positive is null) throw Incomplete(file, "preprocessing label", "column or classes");
        if (string.Equals(label.Negative, label.Positive, StringComparison.Ordinal))
            throw Invalid(file, $"the label's two classes are both {DataError.Quote(label.Positive)}");

        var names = new HashSet<string>(StringComparer.Ordinal) { label.Column };
        foreach (var column in spec.Columns)
        {
            if (column?.Name is null) throw Incomplete(file, "preprocessing", "column name");
            var what = $"column {DataError.Quote(column.Name)}";
            if (!names.Add(column.Name)) throw Invalid(file, $"{what} appears twice (or is also the label)");
            switch (column.Kind)
            {
                case ColumnKind.Numeric:
                    if (column.ImputeValue is not { } v || !double.IsFinite(v) || Math.Abs(v) > float.MaxValue)
                        throw Invalid(file, $"{what} has no finite float32 impute value");
                    break;
                case ColumnKind.Categorical:
                    if (column.Vocabulary is not { Count: > 0 } vocabulary) throw Invalid(file, $"{what} has an empty vocabulary");
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var category in vocabulary)
                        if (category is null || !seen.Add(category)) throw Invalid(file, $"{what} lists the category {DataError.Quote(category)} twice or as null");
                    if (column.ImputeCategory is null || !seen.Contains(column.ImputeCategory))
                        throw Invalid(file, $"{what} imputes {DataError.Quote(column.ImputeCategory)}, which is not in its vocabulary");
                    break;
                case ColumnKind.Dropped:
                    break;
                default:
                    throw Invalid(file, $"{what} has an unknown kind {(int)column.Kind}");
            }
        }
        var expected = PreprocessingSpec.FeatureNamesOf(spec.Columns);
        if (!expected.SequenceEqual(spec.FeatureNames, StringComparer.Ordinal))
            throw Invalid(file, $"the feature names ({spec.FeatureNames.Count}) do not match the columns ({expected.Count} features)");
        if (architecture.Inputs != expected.Count)
            throw new ModelFileException($"{file}: the network takes {architecture.Inputs} features but the preprocessing produces {expected.Count}.");
    }

    private static void CheckScaler(ScalerState? scaler, NetworkSpec architecture, string file)
    {
        if (scaler is null) return;
        if (scaler.Mean is null || scaler.Scale is null) throw Incomplete(file, "scaler", "mean or scale");
        if (scaler.Mean.Length != architecture.Inputs || scaler.Scale.Length != architecture.Inputs)
            throw new ModelFileException($"{file}: the saved scaler does not match the {architecture.Inputs} features or has invalid values.");
        for (var i = 0; i < architecture.Inputs; i++)
        {
            // Standardization runs in float32: the mean must be a float, and 1/scale too.
            if (!double.IsFinite(scaler.Mean[i]) || Math.Abs(scaler.Mean[i]) > float.MaxValue
                || !(scaler.Scale[i] >= 1 / (double)float.MaxValue) || !double.IsFinite(scaler.Scale[i]) || scaler.Scale[i] > float.MaxValue)
                throw new ModelFileException(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: the saved scaler does not match the {architecture.Inputs} features or has invalid values (feature {i + 1}: mean {scaler.Mean[i]:G6}, scale {scaler.Scale[i]:G6})."));
        }
    }

    private static void CheckTraining(TrainingSummary training, string file)
    {
        if (training.CreatedUtc is null || training.ConvergeVersion is null || training.Options is null || training.StopReason is null
            || training.TrainLoss is null || training.ValidationLoss is null || training.ValidationMetrics is null)
            throw Incomplete(file, "training", "summary field");
    }

    private static void CheckTensors(NetworkSpec architecture, int members, IReadOnlyList<TensorEntry> fileOrder, string file)
    {
        // Names, shapes and their order in the file all follow from the architecture, which the metadata
        // checksum covers: so the header's tensor table is checked byte for byte in meaning (a swap of two
        // names or of two data_offsets reorders the tensors and is caught here).
        // An ensemble stores its members one after the other, each under its prefix (member2., member3., …).
        var single = architecture.ExpectedState();
        var expected = Enumerable.Range(1, members).SelectMany(m => single.Select(e => (Name: ModelFile.MemberPrefix(m) + e.Name, e.Shape))).ToList();
        for (var i = 0; i < Math.Max(expected.Count, fileOrder.Count); i++)
        {
            if (i >= fileOrder.Count) throw new ModelFileException($"{file}: tensor '{expected[i].Name}' is missing.");
            var entry = fileOrder[i];
            if (i >= expected.Count) throw new ModelFileException($"{file}: unexpected tensor '{entry.Name}'.");
            var (key, shape) = expected[i];
            if (!string.Equals(entry.Name, key, StringComparison.Ordinal))
            {
                var known = expected.Any(e => string.Equals(e.Name, entry.Name, StringComparison.Ordinal));
                throw known
                    ? new ModelFileException($"{file} is corrupted: tensor '{entry.Name}' is stored where '{key}' belongs (the header's tensor table was altered).")
                    : new ModelFileException($"{file}: unexpected tensor '{entry.Name}'.");
            }
            if (entry.DType != SafeTensorsDType.F32 || !entry.Shape.AsSpan().SequenceEqual(shape))
                throw new ModelFileException($"{file}: tensor '{key}' has shape {Tensors.Tensor.ShapeToString(entry.Shape)}, the architecture needs {Tensors.Tensor.ShapeToString(shape)}.");
            var isBuffer = key.Contains(".running_", StringComparison.Ordinal) || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
            foreach (var v in entry.Data)
            {
                if (!float.IsFinite(v)) throw new ModelFileException($"{file}: tensor '{key}' holds NaN or infinite values.");
                if (!isBuffer && Math.Abs(v) > MaxAbsWeight)
                    throw new ModelFileException(string.Create(CultureInfo.InvariantCulture, $"{file}: tensor '{key}' holds the value {v:G6}, beyond the ±{MaxAbsWeight:G0} a trained weight can reach."));
            }
            if (key.EndsWith("running_var", StringComparison.Ordinal) && entry.Data.Any(static v => v < 0))
                throw new ModelFileException($"{file}: tensor '{key}' holds a negative variance.");
        }
    }

    private static ModelFileException Incomplete(string file, string part, string field) =>
        new($"{file} is incomplete: its {part} metadata lacks a required field ({field}).");

    private static ModelFileException Invalid(string file, string problem) => new($"{file}: invalid preprocessing: {problem}.");
}
