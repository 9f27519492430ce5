using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Palisade.Core.Tests")]
