#include "struct_decoder.h"

#include <cstdint>
#include <cstring>

namespace envoyext::host {

namespace {

// Field numbers of google/protobuf/struct.proto.
constexpr uint32_t kStructFields = 1, kEntryKey = 1, kEntryValue = 2;
constexpr uint32_t kNull = 1, kNumber = 2, kString = 3, kBool = 4, kStruct = 5, kList = 6, kListValues = 1;

class Reader {
 public:
  explicit Reader(std::string_view bytes) : p_(bytes) {}
  bool done() const { return p_.empty(); }

  bool tag(uint32_t& field, uint32_t& wire) {
    uint64_t t;
    if (!varint(t) || (t >> 3) == 0 || (t >> 3) > 0x1fffffff) return false;
    field = static_cast<uint32_t>(t >> 3);
    wire = static_cast<uint32_t>(t & 7);
    return true;
  }

  bool varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_.empty()) return false;
      auto b = static_cast<uint8_t>(p_[0]);
      p_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }

  bool bytes(std::string_view& out) {
    uint64_t n;
    if (!varint(n) || n > p_.size()) return false;
    out = p_.substr(0, n);
    p_.remove_prefix(n);
    return true;
  }

  bool fixed64(uint64_t& v) {
    if (p_.size() < 8) return false;
    v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p_[i]);
    p_.remove_prefix(8);
    return true;
  }

  bool skip(uint32_t wire) {
    uint64_t ignored;
    std::string_view view;
    switch (wire) {
      case 0:
        return varint(ignored);
      case 1:
        return fixed64(ignored);
      case 2:
        return bytes(view);
      case 5:
        if (p_.size() < 4) return false;
        p_.remove_prefix(4);
        return true;
      default:
        return false;  // groups are not part of these messages
    }
  }

 private:
  std::string_view p_;
};

bool decode_fields(std::string_view bytes, std::map<std::string, MetadataValue>& out, int depth);

bool decode_value(std::string_view bytes, MetadataValue& out, int depth) {
  if (depth > kMaxStructDepth) return false;
  out = MetadataValue{};
  out.type = MetadataValue::Type::Null;  // a Value with no kind set
  Reader r(bytes);
  while (!r.done()) {
    uint32_t field, wire;
    if (!r.tag(field, wire)) return false;
    uint64_t v;
    std::string_view view;
    if (field == kNull && wire == 0) {
      if (!r.varint(v)) return false;
      out = MetadataValue{};
      out.type = MetadataValue::Type::Null;
    } else if (field == kNumber && wire == 1) {
      if (!r.fixed64(v)) return false;
      out = MetadataValue{};
      out.type = MetadataValue::Type::Number;
      std::memcpy(&out.number, &v, sizeof v);
    } else if (field == kString && wire == 2) {
      if (!r.bytes(view)) return false;
      out = MetadataValue{};
      out.type = MetadataValue::Type::String;
      out.str = std::string(view);
    } else if (field == kBool && wire == 0) {
      if (!r.varint(v)) return false;
      out = MetadataValue{};
      out.type = MetadataValue::Type::Bool;
      out.boolean = v != 0;
    } else if (field == kStruct && wire == 2) {
      if (!r.bytes(view)) return false;
      out = MetadataValue{};
      out.type = MetadataValue::Type::Struct;
      if (!decode_fields(view, out.fields, depth + 1)) return false;
    } else if (field == kList && wire == 2) {
      if (!r.bytes(view)) return false;
      out = MetadataValue{};
      out.type = MetadataValue::Type::List;
      Reader list(view);
      while (!list.done()) {
        uint32_t item_field, item_wire;
        if (!list.tag(item_field, item_wire)) return false;
        if (item_field != kListValues || item_wire != 2) {
          if (!list.skip(item_wire)) return false;
          continue;
        }
        std::string_view item;
        if (!list.bytes(item)) return false;
        out.list.emplace_back();
        if (!decode_value(item, out.list.back(), depth + 1)) return false;
      }
    } else if (!r.skip(wire)) {
      return false;
    }
  }
  return true;
}

bool decode_fields(std::string_view bytes, std::map<std::string, MetadataValue>& out, int depth) {
  if (depth > kMaxStructDepth) return false;
  Reader r(bytes);
  while (!r.done()) {
    uint32_t field, wire;
    if (!r.tag(field, wire)) return false;
    if (field != kStructFields || wire != 2) {
      if (!r.skip(wire)) return false;
      continue;
    }
    std::string_view entry;
    if (!r.bytes(entry)) return false;
    std::string key;
    MetadataValue value;
    value.type = MetadataValue::Type::Null;
    Reader e(entry);
    while (!e.done()) {
      uint32_t entry_field, entry_wire;
      if (!e.tag(entry_field, entry_wire)) return false;
      std::string_view view;
      if (entry_field == kEntryKey && entry_wire == 2) {
        if (!e.bytes(view)) return false;
        key = std::string(view);
      } else if (entry_field == kEntryValue && entry_wire == 2) {
        if (!e.bytes(view) || !decode_value(view, value, depth + 1)) return false;
      } else if (!e.skip(entry_wire)) {
        return false;
      }
    }
    out[key] = std::move(value);  // a repeated key: the last one wins, as for any proto map
  }
  return true;
}

}  // namespace

bool decode_struct(std::string_view bytes, std::map<std::string, MetadataValue>& out) {
  return decode_fields(bytes, out, 0);
}

}  // namespace envoyext::host
