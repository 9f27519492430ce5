using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Palisade.Core.Json;

/// <summary>Where the options of Palisade's JSON forms find their types' serialisation code.</summary>
public static class JsonTypes
{
    /// <summary>
    /// The generated code of <paramref name="context"/>; where the runtime may use reflection (every Palisade program
    /// but the natively compiled daemon), types the context does not list are served by reflection after it.
    /// </summary>
    public static IJsonTypeInfoResolver Resolver(JsonSerializerContext context) =>
        JsonSerializer.IsReflectionEnabledByDefault
            ? JsonTypeInfoResolver.Combine(context, new DefaultJsonTypeInfoResolver())
            : context;

    /// <summary>The serialisation code of <typeparamref name="T"/> under <paramref name="options"/>.</summary>
    public static JsonTypeInfo<T> Info<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
