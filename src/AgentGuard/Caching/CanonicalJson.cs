using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace AgentGuard;

/// <summary>
/// Writes tool arguments as canonical JSON: object properties in ordinal order, numbers in one normal form
/// (<c>1.50</c>, <c>1.5</c> and <c>15e-1</c> are the same), strings with one escaping. Values may be
/// <see cref="JsonElement"/>s (as the model sends them) or CLR values.
/// </summary>
internal static class CanonicalJson
{
    private static readonly Comparison<KeyValuePair<string, object?>> ByKey = static (a, b) => string.CompareOrdinal(a.Key, b.Key);
    private static readonly IComparer<KeyValuePair<string, object?>> ByKeyComparer = Comparer<KeyValuePair<string, object?>>.Create(ByKey);

    public static void WriteArguments(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>>? arguments)
        => WriteObject(writer, arguments, depth: 0);

    // Sorts the pairs in a pooled buffer: the hot path of a cache hit allocates nothing here.
    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>>? pairs, int depth)
    {
        writer.WriteStartObject();
        if (pairs is not null)
        {
            var buffer = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(pairs is ICollection<KeyValuePair<string, object?>> collection ? Math.Max(collection.Count, 1) : 16);
            var count = 0;
            try
            {
                foreach (var pair in pairs)
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(buffer.Length * 2);
                        Array.Copy(buffer, larger, count);
                        ArrayPool<KeyValuePair<string, object?>>.Shared.Return(buffer, clearArray: true);
                        buffer = larger;
                    }

                    buffer[count++] = pair;
                }

                if (count > 1)
                {
                    Array.Sort(buffer, 0, count, ByKeyComparer);
                }

                for (var i = 0; i < count; i++)
                {
                    writer.WritePropertyName(buffer[i].Key);
                    WriteValue(writer, buffer[i].Value, depth);
                }
            }
            finally
            {
                ArrayPool<KeyValuePair<string, object?>>.Shared.Return(buffer, clearArray: true);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > 64)
        {
            throw new InvalidOperationException("Tool arguments are nested too deeply to cache.");
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement element:
                WriteElement(writer, element, depth);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or sbyte or uint or ushort or ulong or decimal:
                WriteNumber(writer, Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            case double or float:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) < 7.9e28)
                {
                    WriteNumber(writer, (decimal)d);
                }
                else
                {
                    writer.WriteStringValue(d.ToString("R", CultureInfo.InvariantCulture));
                }

                break;
            case DateTime dateTime:
                writer.WriteStringValue(dateTime.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset offset:
                writer.WriteStringValue(offset.ToString("O", CultureInfo.InvariantCulture));
                break;
            case Guid guid:
                writer.WriteStringValue(guid.ToString("D"));
                break;
            case Enum enumValue:
                writer.WriteStringValue(enumValue.ToString());
                break;
            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                WriteObject(writer, dictionary, depth + 1);
                break;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteElement(Utf8JsonWriter writer, JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(property);
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteElement(writer, property.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteElement(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                if (element.TryGetDecimal(out var number)
                    || decimal.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                {
                    WriteNumber(writer, number);
                }
                else
                {
                    writer.WriteStringValue(element.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                }

                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    // 1.50m and 1.5m are equal but print differently; dividing by 1.000…0m drops trailing zeros.
    private static void WriteNumber(Utf8JsonWriter writer, decimal value)
        => writer.WriteNumberValue(value / 1.0000000000000000000000000000m);

    internal sealed class PooledWriter
    {
        [ThreadStatic]
        private static PooledWriter? cached;

        private PooledWriter()
        {
            Buffer = new ByteBufferWriter(256);
            Writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions { SkipValidation = true });
        }

        public ByteBufferWriter Buffer { get; }

        public Utf8JsonWriter Writer { get; }

        public static PooledWriter Rent()
        {
            var writer = cached ?? new PooledWriter();
            cached = null;
            return writer;
        }

        public static void Return(PooledWriter writer)
        {
            if (writer.Buffer.Capacity > 64 * 1024)
            {
                return;
            }

            writer.Buffer.Clear();
            writer.Writer.Reset(writer.Buffer);
            cached = writer;
        }
    }

    /// <summary>A growable byte buffer the writer fills; reused per thread.</summary>
    internal sealed class ByteBufferWriter : IBufferWriter<byte>
    {
        private byte[] buffer;
        private int written;

        public ByteBufferWriter(int initialCapacity)
        {
            buffer = new byte[initialCapacity];
        }

        public int Capacity => buffer.Length;

        public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, written);

        public void Clear() => written = 0;

        public void Advance(int count) => written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return buffer.AsMemory(written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return buffer.AsSpan(written);
        }

        private void Ensure(int sizeHint)
        {
            var needed = written + Math.Max(sizeHint, 1);
            if (needed > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
            }
        }
    }
}
