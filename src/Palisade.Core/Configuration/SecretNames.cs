namespace Palisade.Core.Configuration;

/// <summary>Which parameter names hold secrets; their values never appear in logs, status or printed config.</summary>
public static class SecretNames
{
    private static readonly string[] Markers = ["password", "passwd", "secret", "token", "key"];

    public const string Redacted = "********";

    public static bool IsSecret(string parameterName)
    {
        if (parameterName.EndsWith("_file", StringComparison.Ordinal))
        {
            return false; // a path to a secret is not itself secret
        }

        return Markers.Any(m => parameterName.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    public static string Redact(string parameterName, string value) => IsSecret(parameterName) ? Redacted : value;
}
