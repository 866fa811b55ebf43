using Converge.Export;

namespace Converge.Tests.Export;

// Expected bytes are the worked examples of the protobuf encoding guide (protobuf.dev,
// "Encoding": 150 -> 08 96 01, "testing" -> 12 07 ..., packed 3/270/86942 -> 22 06 ...),
// plus IEEE-754 little-endian layouts of 1.0f / -2.0f / 1.0.
public class ProtoWriterTests
{
    [Fact]
    public void Varint_field_matches_the_guide_example_150()
    {
        var w = new ProtoWriter();
        w.WriteInt64(1, 150);
        Assert.Equal(new byte[] { 0x08, 0x96, 0x01 }, w.ToArray());
    }

    [Fact]
    public void String_field_matches_the_guide_example_testing()
    {
        var w = new ProtoWriter();
        w.WriteString(2, "testing");
        Assert.Equal(new byte[] { 0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67 }, w.ToArray());
    }

    [Fact]
    public void Nested_message_is_length_prefixed_like_the_guide_example()
    {
        var w = new ProtoWriter();
        w.WriteMessage(3, 150L, static (inner, a) => inner.WriteInt64(1, a));
        Assert.Equal(new byte[] { 0x1a, 0x03, 0x08, 0x96, 0x01 }, w.ToArray());
    }

    [Fact]
    public void Packed_int64s_match_the_guide_example()
    {
        var w = new ProtoWriter();
        w.WritePackedInt64s(4, [3, 270, 86942]);
        Assert.Equal(new byte[] { 0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05 }, w.ToArray());
    }

    [Fact]
    public void Negative_int64_and_int32_are_ten_byte_twos_complement()
    {
        var w = new ProtoWriter();
        w.WriteInt64(1, -1);
        w.WriteInt32(1, -1);
        byte[] minusOne = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        Assert.Equal([.. minusOne, .. minusOne], w.ToArray());
    }

    [Fact]
    public void Floats_and_doubles_are_little_endian_fixed_width()
    {
        var w = new ProtoWriter();
        w.WriteFloat(2, 1.0f);
        w.WriteDouble(1, 1.0);
        w.WritePackedFloats(4, [1.0f, -2.0f]);
        byte[] expected =
        [
            0x15, 0x00, 0x00, 0x80, 0x3F,
            0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,
            0x22, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0,
        ];
        Assert.Equal(expected, w.ToArray());
    }

    [Fact]
    public void Multi_byte_field_numbers_and_long_payloads_use_multi_byte_varints()
    {
        var w = new ProtoWriter();
        var payload = new byte[300];
        w.WriteBytes(20, payload);
        // key (20 << 3 | 2) = 162 -> A2 01; length 300 -> AC 02.
        Assert.Equal(new byte[] { 0xA2, 0x01, 0xAC, 0x02 }, w.ToArray()[..4]);
        Assert.Equal(4 + 300, w.Length);
    }

    [Fact]
    public void Non_ascii_strings_are_length_prefixed_by_utf8_byte_count()
    {
        var w = new ProtoWriter();
        w.WriteString(1, "é");
        Assert.Equal(new byte[] { 0x0A, 0x02, 0xC3, 0xA9 }, w.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1 << 29)]
    public void Out_of_range_field_numbers_throw(int field)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ProtoWriter().WriteInt64(field, 1));
        Assert.Contains("field numbers", ex.Message, StringComparison.Ordinal);
    }
}
