package io.minispod.catalog.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How text becomes search words, the same way for what is indexed and what is searched: lower-cased
 * (locale-independently) and split at every character that is not a letter or digit.
 */
public final class SearchText {

  /** Weight of a word of the name: ranked first. */
  static final short NAME = 0;

  /** Weight of a word of a tag. */
  static final short TAG = 1;

  /** Weight of a word of the description. */
  static final short DESCRIPTION = 2;

  /** The longest term the index stores; longer words are indexed by their beginning. */
  static final int MAX_TERM_LENGTH = 100;

  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

  private SearchText() {}

  /** The distinct words of a text, in order; empty for a text without letters or digits. */
  public static List<String> words(String text) {
    Set<String> words = new LinkedHashSet<>();
    for (String word : SEPARATORS.split(text.toLowerCase(Locale.ROOT))) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return new ArrayList<>(words);
  }

  /** Every term of a service with the lightest weight it occurs with. */
  static Map<String, Short> terms(String name, List<String> tags, String description) {
    Map<String, Short> terms = new LinkedHashMap<>();
    add(terms, name, NAME);
    tags.forEach(tag -> add(terms, tag, TAG));
    add(terms, description, DESCRIPTION);
    return terms;
  }

  private static void add(Map<String, Short> terms, String text, short weight) {
    for (String word : words(text)) {
      String term = word.length() > MAX_TERM_LENGTH ? word.substring(0, MAX_TERM_LENGTH) : word;
      terms.merge(term, weight, (a, b) -> (short) Math.min(a, b));
    }
  }

  /** A LIKE pattern that matches terms beginning with the word; {@code !} is the escape. */
  static String prefixPattern(String word) {
    StringBuilder pattern = new StringBuilder(word.length() + 1);
    for (char c : word.toCharArray()) {
      if (c == '!' || c == '%' || c == '_') {
        pattern.append('!');
      }
      pattern.append(c);
    }
    return pattern.append('%').toString();
  }
}
