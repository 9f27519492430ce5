using System.Runtime.CompilerServices;

// The in-process tests of the Redfish BMC (event service, no lab, no root) host its internal classes.
[assembly: InternalsVisibleTo("Palisade.Integration.Tests")]
