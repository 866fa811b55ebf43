using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Converge.Tests.Persistence;

/// <summary>
/// A deliberately minimal safetensors reader that shares no code with Converge.Persistence, used as
/// an independent reference: it trusts the file and only slices what the header says.
/// </summary>
internal static class IndependentSafeTensorsReader
{
    internal sealed record Tensor(string Name, string DType, int[] Shape, long Begin, long End, byte[] Bytes)
    {
        public float[] Floats => MemoryMarshal.Cast<byte, float>(Bytes).ToArray();
        public long[] Longs => MemoryMarshal.Cast<byte, long>(Bytes).ToArray();
    }

    internal sealed record Parsed(ulong HeaderLength, byte[] DataSection, List<Tensor> Tensors, Dictionary<string, string> Metadata);

    public static Parsed Parse(byte[] file)
    {
        Assert.True(BitConverter.IsLittleEndian, "the reference reader assumes a little-endian machine");
        var n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        var data = file[(8 + (int)n)..];
        using var doc = JsonDocument.Parse(file.AsMemory(8, (int)n));
        var tensors = new List<Tensor>();
        var metadata = new Dictionary<string, string>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                foreach (var m in p.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString()!;
                continue;
            }
            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            tensors.Add(new Tensor(p.Name, p.Value.GetProperty("dtype").GetString()!, shape, offsets[0], offsets[1],
                data[(int)offsets[0]..(int)offsets[1]]));
        }
        return new Parsed(n, data, tensors, metadata);
    }

    /// <summary>Builds a file from a hand-written header, as a foreign writer might (no padding, no checksum).</summary>
    public static byte[] Build(string headerJson, byte[] data) => Build(System.Text.Encoding.UTF8.GetBytes(headerJson), data);

    public static byte[] Build(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }
}
