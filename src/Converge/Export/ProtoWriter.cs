using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Converge.Export;

/// <summary>Protobuf wire types (the low three bits of a field key).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// Minimal, dependency-free protobuf encoder: appends fields in wire format to a growable buffer.
/// Only writing is supported; message layout is the caller's business (see <see cref="OnnxProto"/>).
/// Nested messages are built in a child writer and copied in length-prefixed, which costs a copy per
/// nesting level but keeps the encoder trivially correct.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public int Length => _buffer.WrittenCount;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteRawVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _buffer.Advance(n);
    }

    public void WriteKey(int fieldNumber, WireType wireType)
    {
        if (fieldNumber is < 1 or > 536_870_911)
            throw new ArgumentOutOfRangeException(nameof(fieldNumber), fieldNumber, "ProtoWriter: field numbers must be in [1, 2^29 - 1].");
        WriteRawVarint(((ulong)(uint)fieldNumber << 3) | (uint)wireType);
    }

    /// <summary>int64 field: negative values are two's complement, hence always ten bytes (no zigzag).</summary>
    public void WriteInt64(int fieldNumber, long value)
    {
        WriteKey(fieldNumber, WireType.Varint);
        WriteRawVarint(unchecked((ulong)value));
    }

    /// <summary>int32 field: protobuf sign-extends negative int32 to 64 bits before varint encoding.</summary>
    public void WriteInt32(int fieldNumber, int value) => WriteInt64(fieldNumber, value);

    public void WriteFloat(int fieldNumber, float value)
    {
        WriteKey(fieldNumber, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteDouble(int fieldNumber, double value)
    {
        WriteKey(fieldNumber, WireType.Fixed64);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteKey(fieldNumber, WireType.LengthDelimited);
        WriteRawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteString(int fieldNumber, string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteKey(fieldNumber, WireType.LengthDelimited);
        WriteRawVarint((ulong)byteCount);
        var written = Encoding.UTF8.GetBytes(value, _buffer.GetSpan(byteCount));
        _buffer.Advance(written);
    }

    public void WriteMessage<TState>(int fieldNumber, TState state, Action<ProtoWriter, TState> writeBody)
    {
        var child = new ProtoWriter();
        writeBody(child, state);
        WriteBytes(fieldNumber, child.WrittenSpan);
    }

    /// <summary>Packed repeated float: one length-delimited field holding little-endian fixed32 values.</summary>
    public void WritePackedFloats(int fieldNumber, ReadOnlySpan<float> values)
    {
        WriteKey(fieldNumber, WireType.LengthDelimited);
        WriteRawVarint((ulong)values.Length * 4);
        var span = _buffer.GetSpan(values.Length * 4);
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(i * 4)..], values[i]);
        _buffer.Advance(values.Length * 4);
    }

    /// <summary>Packed repeated int64: one length-delimited field holding concatenated varints.</summary>
    public void WritePackedInt64s(int fieldNumber, ReadOnlySpan<long> values)
    {
        var payload = new ProtoWriter();
        foreach (var v in values) payload.WriteRawVarint(unchecked((ulong)v));
        WriteBytes(fieldNumber, payload.WrittenSpan);
    }
}
