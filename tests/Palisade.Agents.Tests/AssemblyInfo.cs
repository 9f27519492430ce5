using System.Runtime.Versioning;

// Agents drive Linux programs (sh, OCF scripts, ipmitool, ipmi_sim); the tests run only there.
[assembly: SupportedOSPlatform("linux")]
