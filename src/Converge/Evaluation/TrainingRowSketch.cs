using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Converge.Evaluation;

/// <summary>
/// A compact sketch of the rows a model was trained on, saved in the model file so evaluation can
/// warn when it is shown those rows again (its metrics would be optimistic). Each encoded feature
/// row (after imputation and one-hot, before standardization) is hashed; the hashes divisible by
/// <see cref="SampleRate"/> — a power of two chosen so at most 4,096 are kept — are stored as
/// 32-bit fingerprints. A row of another file is checked when its hash falls in the same sample, so
/// the share of checked rows found estimates the share of training rows in that file. False matches
/// are about one in a million per checked row.
/// </summary>
/// <param name="SampleRate">One in this many row hashes is kept (a power of two).</param>
/// <param name="Fingerprints">The kept hashes' top 32 bits, little-endian, base64.</param>
public sealed record TrainingRowSketch(int SampleRate, string Fingerprints)
{
    /// <summary>At most this many fingerprints (16 KB before base64) are kept.</summary>
    public const int MaxFingerprints = 4096;

    /// <summary>Sketches <paramref name="rows"/> rows of <paramref name="cols"/> encoded features, row-major.</summary>
    public static TrainingRowSketch Build(ReadOnlySpan<float> features, int rows, int cols)
    {
        if (rows < 0 || cols < 0 || features.Length != rows * cols)
            throw new ArgumentException($"TrainingRowSketch: {features.Length} values do not fill {rows} rows × {cols} columns.", nameof(features));
        var rate = 1;
        while (rows / rate > MaxFingerprints) rate *= 2;
        var kept = new SortedSet<uint>();
        for (var r = 0; r < rows; r++)
        {
            var hash = Hash(features.Slice(r * cols, cols));
            if (Sampled(hash, rate)) kept.Add((uint)(hash >> 32));
        }
        var bytes = new byte[kept.Count * 4];
        var i = 0;
        foreach (var fingerprint in kept) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i++), fingerprint);
        return new TrainingRowSketch(rate, Convert.ToBase64String(bytes));
    }

    /// <summary>A matcher for rows of another file; checks nothing if the sketch is malformed.</summary>
    public Matcher CreateMatcher() => new(this);

    /// <summary>The 64-bit hash of one encoded row (FNV-1a over the float bits, −0 as 0, then a SplitMix64 finalizer).</summary>
    public static ulong Hash(ReadOnlySpan<float> row)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in row)
        {
            var bits = value == 0 ? 0u : BitConverter.SingleToUInt32Bits(value);
            hash = (hash ^ bits) * 1099511628211UL;
        }
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }

    private static bool Sampled(ulong hash, int rate) => (hash & (ulong)(rate - 1)) == 0;

    /// <summary>Counts how many rows of a file are in the sketch's sample, and how many of those are training rows.</summary>
    public sealed class Matcher
    {
        private readonly HashSet<uint> _fingerprints = [];
        private readonly int _rate;

        internal Matcher(TrainingRowSketch sketch)
        {
            _rate = sketch.SampleRate;
            if (_rate < 1 || (_rate & (_rate - 1)) != 0) return;
            Span<byte> bytes = new byte[(sketch.Fingerprints.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(sketch.Fingerprints, bytes, out var length)) return;
            foreach (var fingerprint in MemoryMarshal.Cast<byte, uint>(bytes[..(length / 4 * 4)]))
                _fingerprints.Add(BitConverter.IsLittleEndian ? fingerprint : BinaryPrimitives.ReverseEndianness(fingerprint));
        }

        /// <summary>Rows whose hash fell in the sample.</summary>
        public int Checked { get; private set; }

        /// <summary>Checked rows found in the sketch: rows the model (very likely) trained on.</summary>
        public int Found { get; private set; }

        /// <summary>Checks one encoded row.</summary>
        public void Add(ReadOnlySpan<float> row)
        {
            if (_fingerprints.Count == 0) return;
            var hash = Hash(row);
            if (!Sampled(hash, _rate)) return;
            Checked++;
            if (_fingerprints.Contains((uint)(hash >> 32))) Found++;
        }
    }
}
