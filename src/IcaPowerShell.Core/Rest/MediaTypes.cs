namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// The Accept and Content-Type of a request, from what ICA declares for its operation. Where
    /// it declares several versions, the oldest is the default, so a script keeps the shape it was
    /// written for when ICA adds a version; -ApiVersion chooses another. Unknown paths get v3.
    /// </summary>
    public static class MediaTypes
    {
        public const string OctetStream = "application/octet-stream";
        public const string Json = "application/json";

        public static string Vendor(int version) => $"application/vnd.illumina.v{version}+json";

        public static string Accept(ApiOperation? operation, int? apiVersion) =>
            Choose(operation?.Answers ?? MediaKinds.None, apiVersion);

        public static string ContentType(ApiOperation? operation, int? apiVersion) =>
            Choose(operation?.Body ?? MediaKinds.None, apiVersion);

        private static string Choose(MediaKinds declared, int? apiVersion)
        {
            if (apiVersion is int version)
            {
                return Vendor(version);
            }

            if ((declared & MediaKinds.V3) != 0)
            {
                return Vendor(3);
            }

            if ((declared & MediaKinds.V4) != 0)
            {
                return Vendor(4);
            }

            if ((declared & MediaKinds.Json) != 0)
            {
                return Json;
            }

            return (declared & MediaKinds.OctetStream) != 0 ? OctetStream : Vendor(3);
        }
    }
}
