// The host's reading of set_dynamic_metadata_struct payloads (protobuf-binary google.protobuf.Struct)
// and its report of them in the scenario result.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "result_json.h"
#include "struct_decoder.h"

using namespace envoyext::host;

namespace {

// Minimal protobuf wire writers for the test's hand-built Structs.
std::string varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string field(uint32_t number, const std::string& bytes) {
  return varint((number << 3) | 2) + varint(bytes.size()) + bytes;
}
std::string string_value(const std::string& s) { return field(3, s); }
std::string number_value(double d) {
  std::string out = varint((2 << 3) | 1);
  char raw[8];
  std::memcpy(raw, &d, 8);
  return out + std::string(raw, 8);
}
std::string bool_value(bool b) { return varint((4 << 3) | 0) + varint(b ? 1 : 0); }
std::string null_value() { return varint((1 << 3) | 0) + varint(0); }
std::string entry(const std::string& key, const std::string& value) {
  return field(1, field(1, key) + field(2, value));
}
std::string list_value(const std::vector<std::string>& values) {
  std::string list;
  for (const auto& v : values) list += field(1, v);
  return field(6, list);
}

TEST(StructDecoder, ReadsScalarsNestedStructsAndLists) {
  std::string inner = entry("id", number_value(7));
  std::string bytes = entry("user", string_value("alice")) + entry("admin", bool_value(true)) +
                      entry("none", null_value()) + entry("team", field(5, inner)) +
                      entry("groups", list_value({string_value("ops"), number_value(1.5)}));
  std::map<std::string, MetadataValue> fields;
  ASSERT_TRUE(decode_struct(bytes, fields));

  RequestResult result;
  result.dynamic_metadata["ns"] = fields;
  auto json = result_to_json(result, 0)["dynamic_metadata"]["ns"];
  EXPECT_EQ(json["user"], "alice");
  EXPECT_EQ(json["admin"], true);
  EXPECT_TRUE(json["none"].is_null());
  EXPECT_EQ(json["team"]["id"], 7.0);
  EXPECT_EQ(json["groups"], nlohmann::json::parse(R"(["ops", 1.5])"));
}

TEST(StructDecoder, RefusesTruncatedAndTooDeepInput) {
  std::map<std::string, MetadataValue> fields;
  std::string good = entry("user", string_value("alice"));
  EXPECT_FALSE(decode_struct(good.substr(0, good.size() - 2), fields));

  std::string value = string_value("bottom");
  for (int i = 0; i <= kMaxStructDepth; ++i) value = list_value({value});
  EXPECT_FALSE(decode_struct(entry("deep", value), fields));
}

}  // namespace
