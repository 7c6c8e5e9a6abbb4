using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IcaPowerShell.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>
    /// The profile file as a YAML tree. Changes are made to the tree in place, so keys this version
    /// does not know (a newer module's, or a user's) survive a rewrite.
    /// </summary>
    internal sealed class ProfileDocument
    {
        private const string ProfilesKey = "profiles";
        private const string BinaryTag = "tag:yaml.org,2002:binary";

        private const string Header =
            "# IcaPowerShell profiles, written by Set-IcaConfig. Each x-api-key is encrypted: do not edit it by hand.\n";

        private readonly YamlMappingNode root;
        private readonly string path;

        private ProfileDocument(YamlMappingNode root, string path, IReadOnlyList<IcaProfile> profiles)
        {
            this.root = root;
            this.path = path;
            Profiles = profiles;
        }

        public IReadOnlyList<IcaProfile> Profiles { get; private set; }

        public static ProfileDocument CreateEmpty(string path) =>
            new ProfileDocument(new YamlMappingNode(), path, Array.Empty<IcaProfile>());

        public static ProfileDocument Parse(string text, string path)
        {
            if (text.Trim().Length == 0)
            {
                throw Invalid(path, null, "The file is empty.");
            }

            var stream = new YamlStream();
            try
            {
                stream.Load(new GuardedParser(new Parser(new StringReader(text))));
            }
            catch (GuardException ex)
            {
                throw Invalid(path, Within(ex.Line, text), ex.Message);
            }
            catch (Exception ex) when (IsParserFailure(ex))
            {
                throw Invalid(path, Within((ex as YamlException)?.Start.Line, text), $"It is not valid YAML: {FirstLine(ex.Message)}");
            }

            if (stream.Documents.Count != 1)
            {
                throw Invalid(path, null, stream.Documents.Count == 0 ? "The file is empty: it holds no YAML document." : "The file holds more than one YAML document.");
            }

            if (!(stream.Documents[0].RootNode is YamlMappingNode root))
            {
                throw Invalid(path, LineOf(stream.Documents[0].RootNode), "The file must be a YAML mapping with a 'profiles' key.");
            }

            return new ProfileDocument(root, path, ReadProfiles(root, path));
        }

        public IcaProfile? Find(string name) => Profiles.FirstOrDefault(p => p.Name == name);

        public void Set(IcaProfile profile)
        {
            var profiles = ProfilesNode(create: true)!;
            var key = new YamlScalarNode(profile.Name);
            if (!profiles.Children.TryGetValue(key, out var node) || !(node is YamlMappingNode mapping))
            {
                mapping = new YamlMappingNode();
                profiles.Children[key] = mapping;
            }

            mapping.Children[new YamlScalarNode(ProfileSettings.ServerUrlKey)] = new YamlScalarNode(profile.Server.Display);
            mapping.Children[new YamlScalarNode(ProfileSettings.ApiKeyKey)] = profile.ProtectedApiKey == null
                ? new YamlScalarNode(string.Empty) { Style = ScalarStyle.DoubleQuoted }
                : new YamlScalarNode(Convert.ToBase64String(profile.ProtectedApiKey)) { Tag = BinaryTag };
            mapping.Children[new YamlScalarNode(ProfileSettings.OutputFormatKey)] = new YamlScalarNode(profile.OutputFormat);
            mapping.Children[new YamlScalarNode(ProfileSettings.ColorModeKey)] = new YamlScalarNode(profile.ColorMode);
            if (profile.ProjectId != null)
            {
                mapping.Children[new YamlScalarNode(ProfileSettings.ProjectIdKey)] = new YamlScalarNode(profile.ProjectId);
            }
            else
            {
                mapping.Children.Remove(new YamlScalarNode(ProfileSettings.ProjectIdKey));
            }

            Profiles = Profiles.Where(p => p.Name != profile.Name).Concat(new[] { profile }).ToList();
        }

        public bool Remove(string name)
        {
            var profiles = ProfilesNode(create: false);
            if (profiles == null || !profiles.Children.Remove(new YamlScalarNode(name)))
            {
                return false;
            }

            Profiles = Profiles.Where(p => p.Name != name).ToList();
            return true;
        }

        public string Serialize()
        {
            var writer = new StringWriter { NewLine = "\n" };
            writer.Write(Header);
            new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
            return writer.ToString();
        }

        private YamlMappingNode? ProfilesNode(bool create)
        {
            var key = new YamlScalarNode(ProfilesKey);
            if (root.Children.TryGetValue(key, out var node))
            {
                return (YamlMappingNode)node;
            }

            if (!create)
            {
                return null;
            }

            var created = new YamlMappingNode();
            root.Children[key] = created;
            return created;
        }

        /// <summary>
        /// YamlDotNet reports malformed input as YamlException, and some cases (duplicate keys,
        /// bad tags, truncated flows) as ArgumentException or InvalidOperationException.
        /// </summary>
        private static bool IsParserFailure(Exception ex) =>
            ex is YamlException || ex is ArgumentException || ex is InvalidOperationException || ex is FormatException || ex is OverflowException;

        /// <summary>
        /// The parser reports a problem at the end of the text (an unclosed quote or flow) on the
        /// line after the last one; a user looking for it finds the last line.
        /// </summary>
        private static long? Within(long? line, string text)
        {
            if (!line.HasValue)
            {
                return null;
            }

            var lines = text.TrimEnd('\r', '\n').Split('\n').Length;
            return Math.Min(line.Value, lines);
        }

        private static IReadOnlyList<IcaProfile> ReadProfiles(YamlMappingNode root, string path)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(ProfilesKey), out var node))
            {
                return Array.Empty<IcaProfile>();
            }

            if (!(node is YamlMappingNode profiles))
            {
                throw Invalid(path, LineOf(node), "'profiles' must be a mapping of profile names to settings.");
            }

            var result = new List<IcaProfile>();
            foreach (var entry in profiles.Children)
            {
                var name = ScalarText(entry.Key, path, "a profile name");
                try
                {
                    ProfileName.Validate(name);
                }
                catch (IcaException ex)
                {
                    throw Invalid(path, LineOf(entry.Key), ex.Message);
                }

                if (!(entry.Value is YamlMappingNode settings))
                {
                    throw Invalid(path, LineOf(entry.Value), $"Profile '{name}' must be a mapping of settings.");
                }

                result.Add(ReadProfile(name, settings, path));
            }

            return result;
        }

        private static IcaProfile ReadProfile(string name, YamlMappingNode settings, string path)
        {
            var server = ServerAddress.Default;
            var outputFormat = ProfileSettings.DefaultOutputFormat;
            var colorMode = ProfileSettings.DefaultColorMode;
            byte[]? apiKey = null;
            string? projectId = null;
            foreach (var entry in settings.Children)
            {
                var key = ScalarText(entry.Key, path, "a setting name");
                var line = LineOf(entry.Value);
                var where = $"'{key}' of profile '{name}'";
                try
                {
                    switch (key)
                    {
                        case ProfileSettings.ServerUrlKey:
                            server = ServerAddress.Parse(ScalarText(entry.Value, path, where), key);
                            break;
                        case ProfileSettings.OutputFormatKey:
                            outputFormat = ProfileSettings.ValidateOutputFormat(ScalarText(entry.Value, path, where), key);
                            break;
                        case ProfileSettings.ColorModeKey:
                            colorMode = ProfileSettings.ValidateColorMode(ScalarText(entry.Value, path, where), key);
                            break;
                        case ProfileSettings.ApiKeyKey:
                            apiKey = ReadBinary(entry.Value, path, where);
                            break;
                        case ProfileSettings.ProjectIdKey:
                            // Empty (as icav2 writes an unset key) means none.
                            var text = ScalarText(entry.Value, path, where);
                            projectId = text.Trim().Length == 0 ? null : ProjectIdText.Validate(text, key);
                            break;
                    }
                }
                catch (IcaException ex) when (ex.ErrorId != ErrorIds.ConfigFileInvalid)
                {
                    throw Invalid(path, line, $"In {where}: {ex.Message}");
                }
            }

            return new IcaProfile(name, server, outputFormat, colorMode, apiKey, projectId);
        }

        private static byte[]? ReadBinary(YamlNode node, string path, string where)
        {
            var text = ScalarText(node, path, where);
            if (text.Length == 0)
            {
                return null;
            }

            if (node.Tag.IsEmpty || node.Tag.Value != BinaryTag)
            {
                throw Invalid(path, LineOf(node), $"{where} must be a !!binary value written by Set-IcaConfig. Run Set-IcaConfig -ApiKey to store the key again.");
            }

            try
            {
                return Convert.FromBase64String(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
            }
            catch (FormatException)
            {
                throw Invalid(path, LineOf(node), $"{where} is not valid base64. Run Set-IcaConfig -ApiKey to store the key again.");
            }
        }

        private static string ScalarText(YamlNode node, string path, string what)
        {
            if (node is YamlScalarNode scalar)
            {
                return scalar.Value ?? string.Empty;
            }

            throw Invalid(path, LineOf(node), $"Expected a single value for {what}, found a {(node is YamlSequenceNode ? "list" : "mapping")}.");
        }

        private static long? LineOf(YamlNode node) => node.Start.Line;

        private static string FirstLine(string message)
        {
            var newline = message.IndexOf('\n');
            return newline < 0 ? message : message.Substring(0, newline).TrimEnd();
        }

        internal static IcaException Invalid(string path, long? line, string problem)
        {
            var at = line.HasValue && line.Value > 0 ? $", line {line.Value}" : string.Empty;
            return new IcaException(
                ErrorIds.ConfigFileInvalid,
                IcaErrorKind.InvalidData,
                $"Cannot use the profile file '{path}'{at}. {problem} The file was left as it is: fix it, or move it away and run Set-IcaConfig again.",
                path);
        }
    }
}
