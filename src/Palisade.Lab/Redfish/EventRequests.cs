using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Palisade.Lab.Redfish;

/// <summary>Why a request body was refused: a Base message registry code and a sentence naming the property.</summary>
internal sealed record RequestError(string Code, string Message);

internal sealed record SubscriptionRequest(Uri Destination, string Context, IReadOnlyList<KeyValuePair<string, string>> HttpHeaders);

/// <summary>Reads the bodies of a subscription create and of SubmitTestEvent.</summary>
internal static class EventRequests
{
    private const string HeaderNameSymbols = "!#$%&'*+-.^_`|~";

    /// <summary>{"Destination": "https://...", "Protocol": "Redfish", "Context": "...", "HttpHeaders": [{"Name": "value"}]}.</summary>
    public static bool TryParseSubscription(
        JsonObject body, [NotNullWhen(true)] out SubscriptionRequest? request, [NotNullWhen(false)] out RequestError? error)
    {
        request = null;
        if (!TryString(body, "Destination", required: true, out var destination, out error)
            || !TryString(body, "Protocol", required: true, out var protocol, out error)
            || !TryString(body, "Context", required: false, out var context, out error))
        {
            return false;
        }

        if (!Uri.TryCreate(destination, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
        {
            error = new RequestError("Base.1.8.PropertyValueFormatError",
                $"Destination '{destination}' is not an absolute https:// URL");
            return false;
        }

        if (protocol != "Redfish")
        {
            error = new RequestError("Base.1.8.PropertyValueNotInList", $"Protocol '{protocol}' is not supported; use Redfish");
            return false;
        }

        if (!TryHeaders(body["HttpHeaders"], out var headers, out error))
        {
            return false;
        }

        request = new SubscriptionRequest(uri, context ?? "", headers);
        return true;
    }

    /// <summary>{"MessageId": ..., "MessageArgs": [...], "MessageSeverity" or "Severity": ..., "Message": ..., "OriginOfCondition": ...}.</summary>
    public static bool TryParseTestEvent(
        JsonObject body, [NotNullWhen(true)] out EventMessage? message, [NotNullWhen(false)] out RequestError? error)
    {
        message = null;
        if (!TryString(body, "MessageId", required: true, out var messageId, out error)
            || !TryString(body, "MessageSeverity", required: false, out var messageSeverity, out error)
            || !TryString(body, "Severity", required: false, out var severity, out error)
            || !TryString(body, "Message", required: false, out var text, out error)
            || !TryString(body, "OriginOfCondition", required: false, out var origin, out error)
            || !TryArgs(body["MessageArgs"], out var args, out error))
        {
            return false;
        }

        var chosen = messageSeverity ?? severity ?? "OK";
        if (!RedfishEvents.Severities.Contains(chosen))
        {
            error = new RequestError("Base.1.8.PropertyValueNotInList",
                $"{(messageSeverity is null ? "Severity" : "MessageSeverity")} '{chosen}' is not one of {string.Join(", ", RedfishEvents.Severities)}");
            return false;
        }

        message = new EventMessage(messageId!, args, chosen, text ?? $"Test event {messageId}.", origin ?? RedfishResources.System);
        return true;
    }

    private static bool TryString(JsonObject body, string property, bool required, out string? value, [NotNullWhen(false)] out RequestError? error)
    {
        value = null;
        error = null;
        var node = body[property];
        if (node is null)
        {
            if (required)
            {
                error = new RequestError("Base.1.8.PropertyMissing", $"the property {property} is required");
                return false;
            }

            return true;
        }

        if (node.GetValueKind() != JsonValueKind.String || (required && node.GetValue<string>().Length == 0))
        {
            error = new RequestError("Base.1.8.PropertyValueTypeError", $"the property {property} must be a non-empty string");
            return false;
        }

        value = node.GetValue<string>();
        return true;
    }

    private static bool TryArgs(JsonNode? node, out IReadOnlyList<string> args, [NotNullWhen(false)] out RequestError? error)
    {
        args = [];
        error = null;
        if (node is null)
        {
            return true;
        }

        if (node is not JsonArray array || array.Any(a => a is null || a.GetValueKind() != JsonValueKind.String))
        {
            error = new RequestError("Base.1.8.PropertyValueTypeError", "the property MessageArgs must be an array of strings");
            return false;
        }

        args = [.. array.Select(a => a!.GetValue<string>())];
        return true;
    }

    /// <summary>An array of objects, each property a header name and its string value.</summary>
    private static bool TryHeaders(JsonNode? node, out IReadOnlyList<KeyValuePair<string, string>> headers, [NotNullWhen(false)] out RequestError? error)
    {
        headers = [];
        error = null;
        if (node is null)
        {
            return true;
        }

        if (node is not JsonArray array || array.Any(item => item is not JsonObject))
        {
            error = new RequestError("Base.1.8.PropertyValueTypeError", "the property HttpHeaders must be an array of objects of header names and values");
            return false;
        }

        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in array.SelectMany(item => (JsonObject)item!))
        {
            if (!ValidHeaderName(name) || value is null || value.GetValueKind() != JsonValueKind.String || !ValidHeaderValue(value.GetValue<string>()))
            {
                // The value is a secret: the error names the header, never its value.
                error = new RequestError("Base.1.8.PropertyValueFormatError", $"HttpHeaders: '{name}' is not a valid header name with a string value");
                return false;
            }

            list.Add(new(name, value.GetValue<string>()));
        }

        headers = list;
        return true;
    }

    private static bool ValidHeaderName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || HeaderNameSymbols.Contains(c, StringComparison.Ordinal));

    private static bool ValidHeaderValue(string value) => !value.Any(c => c is '\r' or '\n' or '\0');
}
