package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves list calls that ask for a {@code limit} page by page, as a real API server does (fabric8's
 * CRUD mock ignores {@code limit} and {@code continue} and answers everything at once): items in
 * key order ({@code namespace/name}), at most {@code limit} per page, and a continue token naming
 * the last key served, so the next page starts after it whatever changed meanwhile. Everything else
 * passes through unchanged.
 */
final class PagingDispatcher extends Dispatcher {

  private final Dispatcher delegate;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final AtomicInteger continued = new AtomicInteger();
  private final AtomicInteger expireNext = new AtomicInteger();

  PagingDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /** How many pages after the first were asked for (requests carrying a continue token). */
  int continuedPages() {
    return continued.get();
  }

  /**
   * Answers the next {@code count} requests with a continue token 410 Gone, as after compaction.
   */
  void expireNextContinueTokens(int count) {
    expireNext.set(count);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Map<String, String> query = query(request.getPath());
    String limit = query.get("limit");
    if (request.method() != HttpMethod.GET || limit == null || query.containsKey("watch")) {
      return delegate.dispatch(request);
    }
    String token = query.get("continue");
    if (token != null) {
      continued.incrementAndGet();
      if (expireNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return new MockResponse().setResponseCode(410).setBody(expiredStatus());
      }
    }
    MockResponse response = delegate.dispatch(request);
    if (response.code() != 200 || response.getBody() == null) {
      return response;
    }
    return response.setBody(page(response, Integer.parseInt(limit), token));
  }

  @SuppressWarnings("unchecked")
  private String page(MockResponse response, int limit, String token) {
    Map<String, Object> list =
        serialization.unmarshal(
            new String(response.getBody().getBytes(), StandardCharsets.UTF_8), Map.class);
    if (!(list.get("items") instanceof List<?> all)) {
      return serialization.asJson(list);
    }
    String after = token == null ? "" : decode(token);
    List<Map<String, Object>> sorted = new ArrayList<>((List<Map<String, Object>>) all);
    sorted.sort(Comparator.comparing(PagingDispatcher::key));
    List<Map<String, Object>> page =
        sorted.stream().filter(item -> key(item).compareTo(after) > 0).limit(limit).toList();
    boolean more = !page.isEmpty() && !key(page.get(page.size() - 1)).equals(key(last(sorted)));
    Map<String, Object> metadata =
        list.get("metadata") instanceof Map<?, ?> m
            ? new LinkedHashMap<>((Map<String, Object>) m)
            : new LinkedHashMap<>();
    metadata.remove("continue");
    if (more) {
      metadata.put("continue", encode(key(page.get(page.size() - 1))));
    }
    list.put("metadata", metadata);
    list.put("items", page);
    return serialization.asJson(list);
  }

  @SuppressWarnings("unchecked")
  private static String key(Map<String, Object> item) {
    Map<String, Object> metadata = (Map<String, Object>) item.get("metadata");
    Object namespace = metadata.get("namespace");
    return (namespace == null ? "" : namespace + "/") + metadata.get("name");
  }

  private static Map<String, Object> last(List<Map<String, Object>> items) {
    return items.get(items.size() - 1);
  }

  private String expiredStatus() {
    return serialization.asJson(
        new StatusBuilder()
            .withStatus("Failure")
            .withCode(410)
            .withReason("Expired")
            .withMessage("The provided continue parameter is too old to display a consistent list")
            .build());
  }

  private static Map<String, String> query(String path) {
    Map<String, String> query = new HashMap<>();
    int start = path.indexOf('?');
    if (start < 0) {
      return query;
    }
    for (String pair : path.substring(start + 1).split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  private static String encode(String key) {
    return Base64.getUrlEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token) {
    return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }
}
