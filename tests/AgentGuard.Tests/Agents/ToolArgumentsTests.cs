using System.Text.Json;

namespace AgentGuard.Tests.Agents;

public sealed class ToolArgumentsTests
{
    public enum Access
    {
        Read,
        Write,
        Admin,
    }

    [Flags]
    public enum Permissions
    {
        None = 0,
        Read = 1,
        Write = 2,
        Admin = 4,
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Theory]
    [InlineData("\"Read,Write\"")]
    [InlineData("\"Read, Write\"")]
    [InlineData("\"7\"")]
    [InlineData("\"1\"")]
    [InlineData("\" 1\"")]
    [InlineData("\"+1\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"Read,\"")]
    [InlineData("\"\"")]
    [InlineData("\"Delete\"")]
    [InlineData("1")]
    public void TryReadEnum_NotASingleDefinedName_IsRefused(string json)
    {
        Assert.False(ToolArguments.TryReadEnum<Access>(Json(json), out _));
        Assert.False(ToolArguments.TryReadEnum<Access>((object?)Json(json), out _));
    }

    [Theory]
    [InlineData("\"Write\"", Access.Write)]
    [InlineData("\"admin\"", Access.Admin)]
    [InlineData("\" Read \"", Access.Read)]
    public void TryReadEnum_DefinedName_IsRead(string json, Access expected)
    {
        Assert.True(ToolArguments.TryReadEnum<Access>(Json(json), out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryReadEnum_ClrValue_MustBeDefined()
    {
        Assert.True(ToolArguments.TryReadEnum<Access>(Access.Admin, out var admin));
        Assert.Equal(Access.Admin, admin);
        Assert.False(ToolArguments.TryReadEnum<Access>((Access)7, out _));
        Assert.False(ToolArguments.TryReadEnum<Access>("Read,Write", out _));
    }

    [Theory]
    [InlineData("\"Read, Write\"", Permissions.Read | Permissions.Write)]
    [InlineData("\"Admin\"", Permissions.Admin)]
    [InlineData("\"none\"", Permissions.None)]
    public void TryReadEnum_FlagsListOfNames_IsCombined(string json, Permissions expected)
    {
        Assert.True(ToolArguments.TryReadEnum<Permissions>(Json(json), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("\"Read, Delete\"")]
    [InlineData("\"3\"")]
    [InlineData("\"Read, 2\"")]
    public void TryReadEnum_FlagsWithNumberOrUnknownName_IsRefused(string json)
        => Assert.False(ToolArguments.TryReadEnum<Permissions>(Json(json), out _));

    [Fact]
    public void TryReadEnum_FlagsClrValueOutsideTheDefinedBits_IsRefused()
    {
        Assert.True(ToolArguments.TryReadEnum<Permissions>(Permissions.Read | Permissions.Admin, out _));
        Assert.False(ToolArguments.TryReadEnum<Permissions>((Permissions)8, out _));
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("\"1e400\"")]
    [InlineData("1e400")]
    public void TryReadDouble_NotFinite_IsRefused(string json)
    {
        Assert.False(ToolArguments.TryReadDouble(Json(json), out _));
        Assert.False(ToolArguments.TryReadSingle(Json(json), out _));
    }

    [Fact]
    public void TryReadDouble_ClrNotFinite_IsRefused()
    {
        Assert.False(ToolArguments.TryReadDouble(double.NaN, out _));
        Assert.False(ToolArguments.TryReadDouble(double.PositiveInfinity, out _));
        Assert.False(ToolArguments.TryReadSingle(1e39, out _));
        Assert.True(ToolArguments.TryReadDouble("2.5", out var d));
        Assert.Equal(2.5, d);
        Assert.True(ToolArguments.TryReadSingle(Json("3.25"), out var f));
        Assert.Equal(3.25f, f);
        Assert.True(ToolArguments.TryReadDouble(ulong.MaxValue, out _));
    }

    [Theory]
    [InlineData("0", true, (byte)0)]
    [InlineData("255", true, (byte)255)]
    [InlineData("\"17\"", true, (byte)17)]
    [InlineData("3.0", true, (byte)3)]
    [InlineData("256", false, (byte)0)]
    [InlineData("-1", false, (byte)0)]
    [InlineData("1.5", false, (byte)0)]
    [InlineData("\"x\"", false, (byte)0)]
    public void TryReadByte_ChecksRange(string json, bool ok, byte expected)
    {
        Assert.Equal(ok, ToolArguments.TryReadByte(Json(json), out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void IntegerReaders_ChecksTheirRanges()
    {
        Assert.True(ToolArguments.TryReadSByte(Json("-128"), out var sb) && sb == -128);
        Assert.False(ToolArguments.TryReadSByte(Json("128"), out _));
        Assert.True(ToolArguments.TryReadInt16(Json("-32768"), out var s) && s == short.MinValue);
        Assert.False(ToolArguments.TryReadInt16(Json("32768"), out _));
        Assert.True(ToolArguments.TryReadUInt16(Json("65535"), out var us) && us == ushort.MaxValue);
        Assert.False(ToolArguments.TryReadUInt16(Json("-1"), out _));
        Assert.True(ToolArguments.TryReadUInt32(Json("4294967295"), out var ui) && ui == uint.MaxValue);
        Assert.False(ToolArguments.TryReadUInt32(Json("4294967296"), out _));
        Assert.True(ToolArguments.TryReadUInt64(Json("18446744073709551615"), out var ul) && ul == ulong.MaxValue);
        Assert.False(ToolArguments.TryReadUInt64(Json("18446744073709551616"), out _));
        Assert.False(ToolArguments.TryReadUInt64(Json("-1"), out _));
        Assert.True(ToolArguments.TryReadUInt64(ulong.MaxValue, out var clr) && clr == ulong.MaxValue);
        Assert.True(ToolArguments.TryReadUInt16((object?)(byte)7, out var widened) && widened == 7);
    }

    [Fact]
    public void TryReadChar_OneCharacterOnly()
    {
        Assert.True(ToolArguments.TryReadChar(Json("\"x\""), out var c) && c == 'x');
        Assert.True(ToolArguments.TryReadChar('y', out var clr) && clr == 'y');
        Assert.True(ToolArguments.TryReadChar("z", out var text) && text == 'z');
        Assert.False(ToolArguments.TryReadChar(Json("\"xy\""), out _));
        Assert.False(ToolArguments.TryReadChar(Json("\"\""), out _));
        Assert.False(ToolArguments.TryReadChar(Json("7"), out _));
    }

    [Fact]
    public void NullableForms_ReadThroughTheGenericHelpers()
    {
        var arguments = new Dictionary<string, object?> { ["level"] = Json("300"), ["initial"] = Json("\"q\"") };

        Assert.False(ToolArguments.TryReadNullable<byte>(arguments, "t", "level", "an integer from 0 to 255", ToolArguments.TryReadByte, null, out _, out var error));
        Assert.Contains("must be an integer from 0 to 255, but was 300", error, StringComparison.Ordinal);
        Assert.True(ToolArguments.TryReadNullable<char>(arguments, "t", "initial", "one character", ToolArguments.TryReadChar, null, out var initial, out _));
        Assert.Equal('q', initial);
        Assert.True(ToolArguments.TryReadNullable<ushort>(arguments, "t", "absent", "an integer", ToolArguments.TryReadUInt16, null, out var absent, out _));
        Assert.Null(absent);
        Assert.True(ToolArguments.TryReadNullableValue<uint>(Json("null"), ToolArguments.TryReadUInt32, out var none));
        Assert.Null(none);
    }

    [Theory]
    // In the names' order, one after another; out of order; an unknown name; another casing (no exact match).
    [InlineData("""{"id":1,"items":2,"weight":3}""", "0,1,2")]
    [InlineData("""{"weight":1,"id":2,"weight":3,"items":4}""", "2,0,2,1")]
    [InlineData("""{"extra":1,"items":2,"\u0069d":3}""", "-1,1,0")]
    [InlineData("""{"ID":1,"Items":2}""", "-1,-1")]
    public void IndexOfName_FindsTheExactNameInAnyOrder(string json, string expected)
    {
        byte[][] names = ["id"u8.ToArray(), "items"u8.ToArray(), "weight"u8.ToArray()];
        var next = 0;

        var indexes = Json(json).EnumerateObject().Select(p => ToolArguments.IndexOfName(p, names, ref next));

        Assert.Equal(expected, string.Join(",", indexes));
    }

    [Theory]
    [InlineData("true", true, true)]
    [InlineData("false", true, false)]
    [InlineData("\"True\"", true, true)]
    [InlineData("1", false, false)]
    [InlineData("null", false, false)]
    public void TryReadBoolean_FromJson_WithoutTheObjectPath(string json, bool ok, bool expected)
    {
        Assert.Equal(ok, ToolArguments.TryReadBoolean(Json(json), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("3", true, 3)]
    [InlineData("3.0", true, 3)]
    [InlineData("256", false, 0)]
    [InlineData("-1", false, 0)]
    [InlineData("\"7\"", true, 7)]
    [InlineData("2.5", false, 0)]
    public void TryReadByte_FromJson_WholeNumbersInRange(string json, bool ok, byte expected)
    {
        Assert.Equal(ok, ToolArguments.TryReadByte(Json(json), out var value));
        Assert.Equal(expected, value);
        Assert.Equal(ok, ToolArguments.TryReadByte((object)Json(json), out var boxed));
        Assert.Equal(expected, boxed);
    }
}
