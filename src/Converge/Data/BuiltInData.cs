using System.Globalization;
using System.Text;

namespace Converge.Data;

/// <summary>
/// The two data sets of the Q&amp;A this project follows: the MIT-BIH heart-rate series hr.11839
/// (embedded; attribution in Data/Datasets/README.md) and scikit-learn's two concentric circles,
/// regenerated bit for bit.
/// </summary>
public static class BuiltInData
{
    /// <summary>The Q&amp;A's rule: a heart-rate sample is positive when bpm &gt; 91 (strictly).</summary>
    public const double HeartRateThreshold = 91.0;

    private const string HeartRateResource = "Converge.Data.Datasets.hr.11839.csv";

    private static readonly Lazy<double[]> HeartRateValues = new(LoadHeartRate);

    /// <summary>The 1800 bpm values of hr.11839 (0.5 s apart), in recording order. Returns a fresh copy.</summary>
    public static double[] HeartRate() => [.. HeartRateValues.Value];

    /// <summary>Labels for <see cref="HeartRate"/>: 1 where bpm &gt; <paramref name="threshold"/> (strict), else 0.</summary>
    public static float[] HeartRateLabels(double threshold = HeartRateThreshold)
    {
        var bpm = HeartRateValues.Value;
        var labels = new float[bpm.Length];
        for (var i = 0; i < bpm.Length; i++) labels[i] = bpm[i] > threshold ? 1f : 0f;
        return labels;
    }

    /// <summary>The heart-rate table as CSV text: header <c>bpm,label</c>, label = bpm &gt; <paramref name="threshold"/>.</summary>
    public static string HeartRateCsv(double threshold = HeartRateThreshold)
    {
        var bpm = HeartRateValues.Value;
        var text = new StringBuilder("bpm,label\n");
        foreach (var v in bpm)
            text.Append(v.ToString("R", CultureInfo.InvariantCulture)).Append(v > threshold ? ",1\n" : ",0\n");
        return text.ToString();
    }

    /// <summary>
    /// scikit-learn's <c>make_circles(n_samples, shuffle=True, noise, random_state=seed, factor)</c>,
    /// bit for bit on Linux/glibc: <paramref name="samples"/>/2 outer points (label 0) then the rest on
    /// the inner circle (label 1), shuffled, then Gaussian noise. The defaults are the Q&amp;A's call.
    /// X is row-major [samples, 2].
    /// </summary>
    public static (double[] X, float[] Labels) Circles(int samples = 500, double noise = 0.1, double factor = 0.2, int seed = 123)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"Circles: samples must be >= 1, got {samples}.");
        if (!(noise >= 0) || double.IsInfinity(noise)) throw new ArgumentOutOfRangeException(nameof(noise), $"Circles: noise must be finite and >= 0, got {noise}.");
        if (!(factor >= 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), $"Circles: factor must be in [0, 1), got {factor}.");
        if (seed < 0) throw new ArgumentOutOfRangeException(nameof(seed), $"Circles: seed must be >= 0 (numpy's RandomState range), got {seed}.");

        var outer = samples / 2;
        var points = new double[2 * samples];
        var labels = new float[samples];
        PlaceOnCircle(points.AsSpan(0, 2 * outer), outer, 1.0);
        PlaceOnCircle(points.AsSpan(2 * outer), samples - outer, factor);
        labels.AsSpan(outer).Fill(1f);

        var rng = new MersenneTwister((uint)seed);
        var order = new int[samples];
        for (var i = 0; i < samples; i++) order[i] = i;
        for (var i = samples - 1; i > 0; i--)
        {
            var j = (int)rng.NextBounded((uint)i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var x = new double[2 * samples];
        var y = new float[samples];
        for (var r = 0; r < samples; r++)
        {
            x[2 * r] = points[2 * order[r]];
            x[2 * r + 1] = points[2 * order[r] + 1];
            y[r] = labels[order[r]];
        }

        // Noise comes after the shuffle, in row-major order (sklearn adds it to the shuffled array).
        if (noise > 0)
        {
            for (var k = 0; k < x.Length; k++) x[k] += noise * rng.NextGaussian();
        }
        return (x, y);
    }

    /// <summary>The circles as CSV text: header <c>x1,x2,label</c>, shortest round-trip decimals.</summary>
    public static string CirclesCsv(int samples = 500, double noise = 0.1, double factor = 0.2, int seed = 123)
    {
        var (x, y) = Circles(samples, noise, factor, seed);
        var text = new StringBuilder("x1,x2,label\n");
        for (var r = 0; r < y.Length; r++)
        {
            text.Append(x[2 * r].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(x[2 * r + 1].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(y[r] > 0 ? '1' : '0').Append('\n');
        }
        return text.ToString();
    }

    // numpy.linspace(0, 2π, n, endpoint=False): one step 2π/n, angle i·step; scale after cos/sin.
    private static void PlaceOnCircle(Span<double> xy, int n, double scale)
    {
        var step = 2.0 * Math.PI / n;
        for (var i = 0; i < n; i++)
        {
            var angle = i * step;
            xy[2 * i] = Math.Cos(angle) * scale;
            xy[2 * i + 1] = Math.Sin(angle) * scale;
        }
    }

    private static double[] LoadHeartRate()
    {
        using var stream = typeof(BuiltInData).Assembly.GetManifestResourceStream(HeartRateResource)
            ?? throw new InvalidOperationException($"BuiltInData: embedded resource '{HeartRateResource}' is missing from {typeof(BuiltInData).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var header = reader.ReadLine();
        if (!string.Equals(header, "bpm", StringComparison.Ordinal))
            throw new InvalidDataException($"BuiltInData: {HeartRateResource} must start with header 'bpm', got '{header}'.");
        var values = new List<double>(1800);
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                throw new InvalidDataException($"BuiltInData: {HeartRateResource} line {lineNumber}: '{line}' is not a number.");
            values.Add(v);
        }
        return [.. values];
    }
}
