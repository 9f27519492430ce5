using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Palisade.Agents.Tests")]
