using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.Tests.EnvoyConfig;

/// <summary>A message found somewhere in a config, with a readable path to it for error messages.</summary>
internal readonly record struct VisitedMessage(string Path, IMessage Message);

/// <summary>
/// Visits every message reachable from a root, descending into repeated fields, map values and the
/// payloads of Any (path segment <c>&lt;type name&gt;</c>), so checks can find a message wherever a
/// config nests it (e.g. a DynamicModuleFilter inside an HCM inside a listener filter).
/// </summary>
internal static class MessageWalker
{
    public static IEnumerable<VisitedMessage> Walk(IMessage root, string path = "bootstrap")
    {
        yield return new VisitedMessage(path, root);
        if (root is Any any)
        {
            var payload = EnvoyBootstrapSchema.Unpack(any);
            foreach (var inner in Walk(payload, $"{path}<{payload.Descriptor.Name}>"))
            {
                yield return inner;
            }
            yield break;
        }
        foreach (var field in root.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message)
            {
                continue;
            }
            object value = field.Accessor.GetValue(root);
            string fieldPath = $"{path}.{field.Name}";
            foreach (var (childPath, child) in Children(field, value, fieldPath))
            {
                foreach (var visited in Walk(child, childPath))
                {
                    yield return visited;
                }
            }
        }
    }

    private static IEnumerable<(string Path, IMessage Message)> Children(FieldDescriptor field, object value, string path)
    {
        if (field.IsMap)
        {
            foreach (DictionaryEntry entry in (IDictionary)value)
            {
                if (entry.Value is IMessage message)
                {
                    yield return ($"{path}[{entry.Key}]", message);
                }
            }
        }
        else if (field.IsRepeated)
        {
            int index = 0;
            foreach (object? item in (IList)value)
            {
                if (item is IMessage message)
                {
                    yield return ($"{path}[{index}]", message);
                }
                index++;
            }
        }
        else if (value is IMessage message)
        {
            // Wrapper fields (BoolValue, UInt32Value) surface as C# nullables, not messages: nothing to visit.
            yield return (path, message);
        }
    }
}
