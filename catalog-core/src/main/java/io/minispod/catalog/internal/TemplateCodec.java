package io.minispod.catalog.internal;

import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Companion;
import io.minispod.catalog.template.GeneratedSecret;
import io.minispod.catalog.template.Probe;
import io.minispod.catalog.template.Resources;
import io.minispod.catalog.template.RunAs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jooq.JSONB;
import org.jooq.tools.json.ContainerFactory;
import org.jooq.tools.json.JSONParser;
import org.jooq.tools.json.JSONValue;
import org.jooq.tools.json.ParseException;

/**
 * Turns templates and plan features into the JSON documents stored in {@code service.template} and
 * {@code plan.features}, and back. Uses jOOQ's bundled JSON reader and writer, so the module needs
 * no JSON library of its own. Documents carry a {@code version} so the layout can evolve.
 */
public final class TemplateCodec {

  private static final int VERSION = 1;

  private static final ContainerFactory ORDERED =
      new ContainerFactory() {
        @Override
        public Map<String, Object> createObjectContainer() {
          return new LinkedHashMap<>();
        }

        @Override
        public List<Object> createArrayContainer() {
          return new ArrayList<>();
        }
      };

  private TemplateCodec() {}

  public static JSONB write(AppTemplate template) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", VERSION);
    json.put("image", template.image());
    json.put("port", template.port());
    json.put("env", new LinkedHashMap<>(template.env()));
    json.put("managedEnv", new ArrayList<>(template.managedEnv()));
    List<Object> secrets = new ArrayList<>();
    for (GeneratedSecret secret : template.secrets()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", secret.name());
      s.put("length", secret.length());
      s.put("alphabet", secret.alphabet().name());
      secrets.add(s);
    }
    json.put("secrets", secrets);
    json.put("volumePath", template.volumePath());
    json.put("readiness", probe(template.readiness()));
    json.put("liveness", probe(template.liveness()));
    json.put("runAs", runAs(template.runAs()));
    List<Object> companions = new ArrayList<>();
    for (Companion companion : template.companions()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", companion.name());
      c.put("image", companion.image());
      c.put("port", companion.port());
      c.put("env", new LinkedHashMap<>(companion.env()));
      c.put("volumePath", companion.volumePath());
      c.put("resources", resources(companion.resources()));
      c.put("readiness", probe(companion.readiness()));
      c.put("liveness", probe(companion.liveness()));
      c.put("runAs", runAs(companion.runAs()));
      companions.add(c);
    }
    json.put("companions", companions);
    return JSONB.valueOf(JSONValue.toJSONString(json));
  }

  public static AppTemplate readTemplate(JSONB document) {
    Map<String, Object> json = object(parse(document));
    List<GeneratedSecret> secrets = new ArrayList<>();
    for (Object element : list(json.get("secrets"))) {
      Map<String, Object> s = object(element);
      secrets.add(
          new GeneratedSecret(
              (String) s.get("name"),
              integer(s.get("length")),
              GeneratedSecret.Alphabet.valueOf((String) s.get("alphabet"))));
    }
    List<Companion> companions = new ArrayList<>();
    for (Object element : list(json.get("companions"))) {
      Map<String, Object> c = object(element);
      companions.add(
          new Companion(
              (String) c.get("name"),
              (String) c.get("image"),
              integer(c.get("port")),
              strings(c.get("env")),
              (String) c.get("volumePath"),
              readResources(object(c.get("resources"))),
              readProbe(c.get("readiness")),
              readProbe(c.get("liveness")),
              readRunAs(c.get("runAs"))));
    }
    List<String> managed = new ArrayList<>();
    for (Object key : list(json.get("managedEnv"))) {
      managed.add((String) key);
    }
    return new AppTemplate(
        (String) json.get("image"),
        integer(json.get("port")),
        strings(json.get("env")),
        new TreeSet<>(managed),
        secrets,
        (String) json.get("volumePath"),
        readProbe(json.get("readiness")),
        readProbe(json.get("liveness")),
        readRunAs(json.get("runAs")),
        companions);
  }

  static JSONB writeFeatures(Map<String, Object> features) {
    return JSONB.valueOf(JSONValue.toJSONString(new LinkedHashMap<>(features)));
  }

  static Map<String, Object> readFeatures(JSONB document) {
    Map<String, Object> features = new TreeMap<>();
    object(parse(document)).forEach(features::put);
    return features;
  }

  private static Map<String, Object> probe(Probe probe) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kind", probe.kind().name());
    p.put("path", probe.path());
    p.put("port", probe.port());
    p.put("command", new ArrayList<>(probe.command()));
    p.put("httpHeaders", new LinkedHashMap<>(probe.httpHeaders()));
    p.put("initialDelaySeconds", probe.initialDelaySeconds());
    p.put("periodSeconds", probe.periodSeconds());
    p.put("timeoutSeconds", probe.timeoutSeconds());
    p.put("failureThreshold", probe.failureThreshold());
    return p;
  }

  private static Probe readProbe(Object element) {
    Map<String, Object> p = object(element);
    List<String> command = new ArrayList<>();
    for (Object arg : list(p.get("command"))) {
      command.add((String) arg);
    }
    return new Probe(
        Probe.Kind.valueOf((String) p.get("kind")),
        (String) p.get("path"),
        integer(p.get("port")),
        command,
        strings(p.get("httpHeaders")),
        integer(p.get("initialDelaySeconds")),
        integer(p.get("periodSeconds")),
        integer(p.get("timeoutSeconds")),
        integer(p.get("failureThreshold")));
  }

  private static Map<String, Object> runAs(RunAs runAs) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("user", runAs.user());
    r.put("group", runAs.group());
    r.put("fsGroup", runAs.fsGroup());
    return r;
  }

  private static RunAs readRunAs(Object element) {
    Map<String, Object> r = object(element);
    return new RunAs(
        ((Number) r.get("user")).longValue(),
        ((Number) r.get("group")).longValue(),
        ((Number) r.get("fsGroup")).longValue());
  }

  private static Map<String, Object> resources(Resources resources) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("cpuMillicores", resources.cpuMillicores());
    r.put("memoryMiB", resources.memoryMiB());
    r.put("storageGiB", resources.storageGiB());
    return r;
  }

  private static Resources readResources(Map<String, Object> r) {
    return new Resources(
        integer(r.get("cpuMillicores")), integer(r.get("memoryMiB")), integer(r.get("storageGiB")));
  }

  private static Object parse(JSONB document) {
    try {
      return new JSONParser().parse(document.data(), ORDERED);
    } catch (ParseException e) {
      throw new IllegalStateException("a stored catalog document is not JSON: " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object element) {
    return (Map<String, Object>) element;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object element) {
    return element == null ? List.of() : (List<Object>) element;
  }

  private static Map<String, String> strings(Object element) {
    Map<String, String> map = new LinkedHashMap<>();
    if (element != null) {
      object(element).forEach((key, value) -> map.put(key, (String) value));
    }
    return map;
  }

  private static int integer(Object value) {
    return ((Number) value).intValue();
  }
}
