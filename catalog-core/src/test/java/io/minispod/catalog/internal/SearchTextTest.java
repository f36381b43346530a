package io.minispod.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.QuotaFigures;
import io.minispod.catalog.SearchQuery;
import io.minispod.catalog.SearchSort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SearchTextTest {

  @Test
  void words_mixedCaseAndPunctuation_areLowerCasedAndSplit() {
    assertThat(SearchText.words("  Ghost, the BLOG-platform! n8n's 100%_uptime "))
        .containsExactly("ghost", "the", "blog", "platform", "n8n", "s", "100", "uptime");
  }

  @Test
  void words_sqlMetacharactersOnly_giveNoWord() {
    assertThat(SearchText.words("%")).isEmpty();
    assertThat(SearchText.words("'; --")).isEmpty();
    assertThat(SearchText.words("_")).isEmpty();
  }

  @Test
  void words_nonLatinLetters_areWords() {
    assertThat(SearchText.words("Otomatisasi alur kerja — ワークフロー"))
        .containsExactly("otomatisasi", "alur", "kerja", "ワークフロー");
  }

  @Test
  void terms_wordInNameAndDescription_keepsLightestWeight() {
    Map<String, Short> terms =
        SearchText.terms("Ghost", List.of("blog", "ghost-theme"), "Ghost is a blog engine");
    assertThat(terms)
        .containsEntry("ghost", SearchText.NAME)
        .containsEntry("blog", SearchText.TAG)
        .containsEntry("theme", SearchText.TAG)
        .containsEntry("engine", SearchText.DESCRIPTION);
  }

  @Test
  void terms_overLongWord_isIndexedByItsBeginning() {
    String word = "a".repeat(150);
    assertThat(SearchText.terms(word, List.of(), "")).containsOnlyKeys("a".repeat(100));
  }

  @Test
  void prefixPattern_likeMetacharacters_areEscaped() {
    assertThat(SearchText.prefixPattern("ghost")).isEqualTo("ghost%");
    assertThat(SearchText.prefixPattern("a%b_c!")).isEqualTo("a!%b!_c!!%");
  }

  @Test
  void searchQuery_builderDefaults_matchEverythingByRelevance() {
    SearchQuery query = SearchQuery.builder().build();
    assertThat(query.sort()).isEqualTo(SearchSort.RELEVANCE);
    assertThat(query.page()).isEqualTo(PageRequest.first());
    assertThat(query.available()).isFalse();
    assertThat(SearchQuery.builder().sort(null).build().sort()).isEqualTo(SearchSort.RELEVANCE);
  }

  @Test
  void searchQuery_everyBadCriterion_isReportedAtOnce() {
    assertThatThrownBy(
            () ->
                SearchQuery.builder()
                    .text("x".repeat(201))
                    .category("c".repeat(64))
                    .tag("t".repeat(33))
                    .maxPrice(-1L)
                    .currency("RUPIAH")
                    .page(0, 0)
                    .build())
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsOnlyKeys(
                        "q", "category", "tag", "maxPrice", "currency", "page", "size"));
  }

  @Test
  void searchQuery_maxPriceWithoutCurrency_isRefusedNamingCurrency() {
    assertThatThrownBy(() -> SearchQuery.builder().maxPrice(100_000L).build())
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsOnlyKeys("currency")
                    .extractingByKey("currency")
                    .asString()
                    .contains("required with maxPrice"));
    assertThatThrownBy(
            () ->
                new SearchQuery(
                    null, null, null, 1L, null, false, SearchSort.PRICE, PageRequest.first()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("currency"));
  }

  @Test
  void searchQuery_currency_isParsedAndKeyedByCode() {
    SearchQuery query = SearchQuery.builder().maxPrice(500L).currency("USD").build();
    assertThat(query.currency()).isEqualTo(java.util.Currency.getInstance("USD"));
    assertThat(CatalogStore.SearchKey.of(query).currency()).isEqualTo("USD");
    assertThat(CatalogStore.SearchKey.of(query).maxPrice()).isEqualTo(500L);
    assertThat(SearchQuery.builder().currency("IDR").build().maxPrice()).isNull();
    assertThat(CatalogStore.SearchKey.of(SearchQuery.builder().build()).currency()).isNull();
    assertThatThrownBy(() -> SearchQuery.builder().currency("idr").build())
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors().get("currency")).contains("ISO 4217", "'idr'"));
  }

  @Test
  void searchQuery_tooManyOrTooLongWords_areRefused() {
    assertThatThrownBy(() -> SearchQuery.builder().text("a b c d e f g h i j k").build())
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors().get("q")).contains("at most 10 words"));
    assertThatThrownBy(() -> SearchQuery.builder().text("w".repeat(101)).build())
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors().get("q")).contains("100 characters"));
  }

  @Test
  void searchKey_popularityAndWordlessRelevance_shareTheNameOrder() {
    SearchQuery popular = SearchQuery.builder().text("Gho").sort(SearchSort.POPULARITY).build();
    assertThat(CatalogStore.SearchKey.of(popular).sort()).isEqualTo(SearchSort.NAME);
    assertThat(CatalogStore.SearchKey.of(popular).words()).containsExactly("gho");
    assertThat(CatalogStore.SearchKey.of(SearchQuery.builder().build()).sort())
        .isEqualTo(SearchSort.NAME);
    assertThat(CatalogStore.SearchKey.of(SearchQuery.builder().text("x").build()).sort())
        .isEqualTo(SearchSort.RELEVANCE);
    assertThat(
            CatalogStore.SearchKey.of(SearchQuery.builder().sort(SearchSort.PRICE).build()).sort())
        .isEqualTo(SearchSort.PRICE);
  }

  @Test
  void page_totalPages_roundsUp() {
    assertThat(new Page<>(List.of(), 1, 20, 0).totalPages()).isZero();
    assertThat(new Page<>(List.of(), 1, 20, 41).totalPages()).isEqualTo(3);
    assertThat(new Page<>(List.of(), 1, 5, 5).totalPages()).isEqualTo(1);
  }

  @Test
  void quotaFigures_available_neverNegative() {
    assertThat(new QuotaFigures(10, 3).available()).isEqualTo(7);
    assertThat(new QuotaFigures(2, 3).available()).isZero();
  }
}
