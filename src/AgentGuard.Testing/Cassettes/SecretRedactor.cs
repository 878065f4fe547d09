using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentGuard.Testing;

/// <summary>Replaces configured secrets and anything shaped like an API key with <see cref="Cassette.Redacted"/>.</summary>
internal sealed class SecretRedactor
{
    private static readonly Regex KeyShapes = new(
        @"\bsk-[A-Za-z0-9_\-]{8,}|\bBearer\s+[A-Za-z0-9\-._~+/]+=*",
        RegexOptions.CultureInvariant);

    private readonly string[] secrets;

    public SecretRedactor(IEnumerable<string>? secrets)
    {
        this.secrets = (secrets ?? Enumerable.Empty<string>())
            .Where(secret => !string.IsNullOrEmpty(secret))
            .OrderByDescending(secret => secret.Length)
            .ToArray();
    }

    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = text!;
        foreach (var secret in secrets)
        {
            result = result.Replace(secret, Cassette.Redacted);
        }

        return KeyShapes.Replace(result, Cassette.Redacted);
    }

    // Every string value of the document (property names are the format's own) is redacted; the layout is kept.
    public string RedactJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, document.RootElement);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Redact(element.GetString()));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
