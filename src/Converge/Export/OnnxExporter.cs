using Converge.Data;
using Converge.Training;

namespace Converge.Export;

/// <summary>
/// Writes a <see cref="BinaryClassifier"/> as one self-contained ONNX model (opset 13) that maps raw
/// column values to the same probabilities Converge computes:
/// <c>features</c> [batch, C] float → impute (IsNaN/Where) → one-hot (Equal/Cast) → standardize
/// (Sub/Div) → network (Gemm, BatchNormalization, activations) → <c>probability</c> [batch, 1] float
/// and <c>label</c> [batch, 1] int64 (1 when probability ≥ the model's threshold).
/// The input layout is <see cref="OnnxInputLayout"/>; it is also stored as JSON in the model's
/// metadata (<see cref="InputsKey"/>).
/// </summary>
public static partial class OnnxExporter
{
    /// <summary>The graph input: [batch, C] float, laid out as <see cref="OnnxInputLayout"/>.</summary>
    public const string InputName = "features";

    /// <summary>The graph output P(positive): [batch, 1] float.</summary>
    public const string ProbabilityOutput = "probability";

    /// <summary>The graph output 0/1: [batch, 1] int64.</summary>
    public const string LabelOutput = "label";

    private const string GraphName = "converge_binary_classifier";

    /// <summary>Serializes the model as ONNX bytes (a ModelProto).</summary>
    public static byte[] ToBytes(BinaryClassifier model, OnnxExportOptions? options = null)
    {
        var (builder, metadata) = Build(model, options);
        return builder.Build(GraphName, metadata);
    }

    /// <summary>Writes the model to <paramref name="path"/> (atomically: readers never see a half-written file).</summary>
    public static void Export(BinaryClassifier model, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (builder, metadata) = Build(model, options);
        builder.Save(path, GraphName, metadata);
    }

    /// <summary>
    /// The float threshold t′ for which p ≥ t′ ⇔ p ≥ <paramref name="threshold"/> for every float p:
    /// the smallest float not below the double threshold. Comparing against a plainly rounded
    /// threshold could flip the label of a probability that sits between the two.
    /// </summary>
    public static float ThresholdAsFloat(double threshold)
    {
        if (double.IsNaN(threshold)) throw new ArgumentException("OnnxExporter: the threshold is NaN.", nameof(threshold));
        var f = (float)threshold;
        return f < threshold ? MathF.BitIncrement(f) : f;
    }

    private static (OnnxGraphBuilder Builder, Dictionary<string, string> Metadata) Build(BinaryClassifier model, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        if (options.DocString is null)
            options = options with { DocString = $"Converge {BinaryClassifier.Version} binary classifier: {InputName} [batch, C] → {ProbabilityOutput}, {LabelOutput}. Input layout in metadata '{InputsKey}'." };
        var layout = OnnxInputLayout.For(model.Preprocessing);
        var featureCount = model.FeatureNames.Count;
        if (model.Architecture.Inputs != featureCount)
            throw new OnnxExportException($"OnnxExporter: the network takes {model.Architecture.Inputs} inputs but the preprocessing produces {featureCount} features.");

        var b = new OnnxGraphBuilder(options);
        var x = b.AddInput(InputName, OnnxElementType.Float, OnnxDim.Batch, layout.Width);
        x = AddPreprocessing(b, x, layout, model.Preprocessing, featureCount);
        if (model.Scaler is { } scaler)
        {
            if (scaler.FeatureCount != featureCount)
                throw new OnnxExportException($"OnnxExporter: the standardization has {scaler.FeatureCount} features but the network takes {featureCount}.");
            x = b.AddNode("Sub", [x, b.AddInitializer("scaler_mean", ToFloats(scaler.Mean), featureCount)]);
            x = b.AddNode("Div", [x, b.AddInitializer("scaler_scale", ToFloats(scaler.Scale), featureCount)]);
        }
        var members = model.Members;
        var raw = model.Calibration is null ? ProbabilityOutput : "uncalibrated_probability";
        if (members.Count == 1)
        {
            AddNetwork(b, x, model.Network, featureCount, applySigmoid: !model.Architecture.OutputSigmoid, output: raw);
        }
        else
        {
            // A cross-fitted ensemble: every member's probability, summed in order and divided once by k (NetworkProbability's rule).
            var probabilities = new string[members.Count];
            for (var m = 0; m < members.Count; m++)
            {
                probabilities[m] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"member{m + 1}_probability");
                AddNetwork(b, x, members[m], featureCount, !model.Architecture.OutputSigmoid,
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"member{m + 1}"), probabilities[m]);
            }
            b.AddNode("Div", [b.AddNode("Sum", probabilities), b.AddInitializer("member_count", [(float)members.Count])], [raw]);
        }
        if (model.Calibration is { } calibration) AddCalibration(b, raw, calibration);
        var threshold = b.AddInitializer("threshold", [ThresholdAsFloat(model.Threshold)]);
        var positive = b.AddNode("GreaterOrEqual", [ProbabilityOutput, threshold]);
        b.AddNode("Cast", [positive], [LabelOutput], OnnxAttribute.ElementType("to", OnnxElementType.Int64));
        b.AddOutput(ProbabilityOutput, OnnxElementType.Float, OnnxDim.Batch, 1);
        b.AddOutput(LabelOutput, OnnxElementType.Int64, OnnxDim.Batch, 1);
        return (b, Metadata(model, layout));
    }

    /// <summary>
    /// The calibration after the network, as <see cref="ProbabilityCalibration.Apply(float)"/>. Platt:
    /// Sigmoid(−(A·log(q/(1 − q)) + B)) with q = Clip(p, ε, 1 − ε). Isotonic: the segment of the clipped p found by
    /// counting the knots at or below it, its ends gathered, and the interpolation in the same float32 steps as
    /// the C# path, so a plateau's value (where a threshold chosen on those rows sits) is the same bits in both.
    /// </summary>
    private static void AddCalibration(OnnxGraphBuilder b, string p, ProbabilityCalibration calibration)
    {
        if (calibration.Method == CalibrationMethod.Platt)
        {
            var q = b.AddNode("Clip", [p, b.AddInitializer("calibration_low", [ProbabilityCalibration.LogitClamp]),
                b.AddInitializer("calibration_high", [1 - ProbabilityCalibration.LogitClamp])]);
            var odds = b.AddNode("Div", [q, b.AddNode("Sub", [b.AddInitializer("calibration_one", [1f]), q])]);
            var z = b.AddNode("Add", [b.AddNode("Mul", [b.AddNode("Log", [odds]), b.AddInitializer("calibration_a", [(float)calibration.A])]),
                b.AddInitializer("calibration_b", [(float)calibration.B])]);
            b.AddNode("Sigmoid", [b.AddNode("Neg", [z])], [ProbabilityOutput]);
            return;
        }
        var (xs, ys) = (calibration.X, calibration.Y);
        if (xs.Count == 1)
        {
            b.AddNode("Add", [b.AddNode("Mul", [p, b.AddInitializer("calibration_zero", [0f])]), b.AddInitializer("calibration_y0", [(float)ys[0]])], [ProbabilityOutput]);
            return;
        }
        // The segment k of c = Clip(p, x₀, x_last): (number of knots ≤ q) − 1, at most the last segment; then
        // y_k + (c − x_k)/(x_{k+1} − x_k)·(y_{k+1} − y_k) in float32, the steps of ProbabilityCalibration.Apply.
        var knots = xs.Count;
        var (x, y, x1, y1) = (new float[knots - 1], new float[knots - 1], new float[knots - 1], new float[knots - 1]);
        for (var k = 0; k < knots - 1; k++) (x[k], y[k], x1[k], y1[k]) = ((float)xs[k], (float)ys[k], (float)xs[k + 1], (float)ys[k + 1]);
        var allX = new float[knots];
        for (var k = 0; k < knots; k++) allX[k] = (float)xs[k];
        var clipped = b.AddNode("Clip", [p, b.AddInitializer("calibration_x_first", [allX[0]]), b.AddInitializer("calibration_x_last", [allX[^1]])]);
        var atOrAbove = b.AddNode("Cast", [b.AddNode("GreaterOrEqual", [clipped, b.AddInitializer("calibration_x", allX, knots)])],
            OnnxAttribute.ElementType("to", OnnxElementType.Int64));
        var count = b.AddNode("ReduceSum", [atOrAbove, b.AddInitializer("calibration_axes", [1L], 1)]);
        var segment = b.AddNode("Min", [b.AddNode("Sub", [count, b.AddInitializer("calibration_one_index", [1L])]),
            b.AddInitializer("calibration_last_segment", [(long)(knots - 2)])]);
        string At(string name, float[] values) => b.AddNode("Gather", [b.AddInitializer(name, values, knots - 1), segment]);
        var (xk, yk, xk1, yk1) = (At("calibration_x_low", x), At("calibration_y_low", y), At("calibration_x_high", x1), At("calibration_y_high", y1));
        var t = b.AddNode("Div", [b.AddNode("Sub", [clipped, xk]), b.AddNode("Sub", [xk1, xk])]);
        b.AddNode("Add", [yk, b.AddNode("Mul", [t, b.AddNode("Sub", [yk1, yk])])], [ProbabilityOutput]);
    }

    /// <summary>
    /// Expands the C input columns into the F encoded features: Gather copies each column to every
    /// feature it feeds, NaN becomes the fill value (median, or the index of the imputed category), a
    /// negative index (an unseen category) becomes the pooled "(other)" level's where the column has one,
    /// and categorical positions become Equal(index, k) — so an index outside the vocabulary of a column
    /// without "(other)" gives an all-zero one-hot, exactly as RowTransformer does. Missing indicators are
    /// IsNaN of their column; robustly scaled numbers become (x − center)/spread, then z/√(1 + (z/3)²).
    /// </summary>
    private static string AddPreprocessing(OnnxGraphBuilder b, string x, OnnxInputLayout layout, PreprocessingSpec spec, int featureCount)
    {
        var source = new long[featureCount];
        var fill = new float[featureCount];
        var code = new float[featureCount];
        var categorical = new bool[featureCount];
        var indicator = new bool[featureCount];
        var hasOther = new bool[featureCount];
        var otherCode = new float[featureCount];
        var center = new float[featureCount];
        var spread = new float[featureCount];
        var clip = new bool[featureCount];
        Array.Fill(spread, 1f);
        var columns = spec.Columns.Where(static c => c.Kind != ColumnKind.Dropped).ToArray();
        var f = 0;
        foreach (var column in layout.Columns)
        {
            var fitted = columns[column.Index];
            if (column.Kind == ColumnKind.Numeric)
            {
                (source[f], fill[f]) = (column.Index, (float)column.ImputeValue!.Value);
                if (fitted.Center is { } c && fitted.Spread is { } s)
                    (center[f], spread[f], clip[f]) = ((float)c, (float)s, fitted.Clip);
                f++;
                if (fitted.MissingIndicator)
                {
                    (source[f], indicator[f]) = (column.Index, true);
                    f++;
                }
                continue;
            }
            var other = fitted.OtherCategory is { } o ? column.IndexOf(o) : -1;
            for (var k = 0; k < column.Vocabulary!.Count; k++, f++)
                (source[f], fill[f], code[f], categorical[f], hasOther[f], otherCode[f]) = (column.Index, column.ImputeIndex!.Value, k, true, other >= 0, other);
        }
        if (f != featureCount)
            throw new OnnxExportException($"OnnxExporter: the input columns expand to {f} features but the model has {featureCount}.");

        if (categorical.Any(static c => c) || layout.Width != featureCount)
            x = b.AddNode("Gather", [x, b.AddInitializer("feature_source_column", source, featureCount)], OnnxAttribute.Int("axis", 1));
        var missing = b.AddNode("IsNaN", [x]);
        x = b.AddNode("Where", [missing, b.AddInitializer("impute_fill", fill, featureCount), x]);
        if (hasOther.Any(static o => o))
        {
            var unseen = b.AddNode("And", [b.AddNode("Less", [x, b.AddInitializer("zero", [0f])]), b.AddInitializer("has_other_level", hasOther, featureCount)]);
            x = b.AddNode("Where", [unseen, b.AddInitializer("other_level_code", otherCode, featureCount), x]);
        }
        if (categorical.Any(static c => c))
        {
            var isCategory = b.AddNode("Equal", [x, b.AddInitializer("category_code", code, featureCount)]);
            var oneHot = b.AddNode("Cast", [isCategory], OnnxAttribute.ElementType("to", OnnxElementType.Float));
            x = b.AddNode("Where", [b.AddInitializer("is_categorical", categorical, featureCount), oneHot, x]);
        }
        if (indicator.Any(static i => i))
        {
            var flag = b.AddNode("Cast", [missing], OnnxAttribute.ElementType("to", OnnxElementType.Float));
            x = b.AddNode("Where", [b.AddInitializer("is_missing_indicator", indicator, featureCount), flag, x]);
        }
        if (spread.Any(static s => s != 1f) || center.Any(static c => c != 0f))
        {
            x = b.AddNode("Sub", [x, b.AddInitializer("robust_center", center, featureCount)]);
            x = b.AddNode("Div", [x, b.AddInitializer("robust_spread", spread, featureCount)]);
        }
        if (clip.Any(static c => c))
        {
            var third = b.AddNode("Div", [x, b.AddInitializer("clip_three", [3f])]);
            var root = b.AddNode("Sqrt", [b.AddNode("Add", [b.AddNode("Mul", [third, third]), b.AddInitializer("clip_one", [1f])])]);
            x = b.AddNode("Where", [b.AddInitializer("is_clipped", clip, featureCount), b.AddNode("Div", [x, root]), x]);
        }
        return x;
    }

    private static float[] ToFloats(IReadOnlyList<double> values) => [.. values.Select(static v => (float)v)];
}
