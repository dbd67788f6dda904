package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the model expects at each place of a document, read from the records themselves: lets the scanner
 * report unknown fields with their own line, which Jackson cannot do for records (it buffers the unknown
 * properties of a creator and replays them after the record is built, out of place). One instance per
 * scan: it remembers the records it has looked at, because reflection on record components is slow.
 */
final class ModelTypes {

  /** A value whose content is not checked: a scalar, or anything under an unknown field. */
  static final Type ANY = Object.class;

  /** What {@link #components} remembers for a class that is not a record. */
  private static final Map<String, Type> NOT_A_RECORD = Map.of();

  private final Map<Class<?>, Map<String, Type>> components = new HashMap<>();

  /** The type of field {@code name} of an object of {@code type}, or null when a record has no such field. */
  Type field(Type type, String name) {
    if (type instanceof Class<?> c) {
      Map<String, Type> fields = components(c);
      if (fields == NOT_A_RECORD) {
        return ANY;
      }
      Type field = fields.get(name);
      return field != null ? field : ignored(c, name) ? ANY : null;
    }
    if (type instanceof ParameterizedType p && Map.class.isAssignableFrom(raw(p))) {
      return p.getActualTypeArguments()[1];
    }
    return ANY;
  }

  /** The type of the items of a list of {@code type}. */
  static Type element(Type type) {
    if (type instanceof ParameterizedType p && List.class.isAssignableFrom(raw(p))) {
      return p.getActualTypeArguments()[0];
    }
    return ANY;
  }

  /** The fields of a record in declaration order, as the API reference lists them. */
  List<String> fields(Type record) {
    return List.copyOf(components((Class<?>) record).keySet());
  }

  /** A record's fields by name, or {@link #NOT_A_RECORD}; remembered, as {@code isRecord()} is slow too. */
  private Map<String, Type> components(Class<?> record) {
    return components.computeIfAbsent(record, r -> {
      if (!r.isRecord()) {
        return NOT_A_RECORD;
      }
      Map<String, Type> byName = new LinkedHashMap<>();
      for (RecordComponent component : r.getRecordComponents()) {
        byName.put(component.getName(), component.getGenericType());
      }
      return byName;
    });
  }

  private static boolean ignored(Class<?> record, String name) {
    JsonIgnoreProperties ignore = record.getAnnotation(JsonIgnoreProperties.class);
    return ignore != null && (ignore.ignoreUnknown() || Arrays.asList(ignore.value()).contains(name));
  }

  private static Class<?> raw(ParameterizedType p) {
    return (Class<?>) p.getRawType();
  }
}
