package io.minispod.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Companion;
import io.minispod.catalog.template.Resources;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.JSONB;
import org.junit.jupiter.api.Test;

/** The JSON documents app templates and plan features are stored as. */
final class TemplateCodecTest {

  @Test
  void codec_seedTemplates_roundTripExactly() {
    for (AppTemplate template : List.of(CatalogSeed.n8nTemplate(), CatalogSeed.ghostTemplate())) {
      assertThat(TemplateCodec.readTemplate(TemplateCodec.write(template))).isEqualTo(template);
    }
    AppTemplate bare =
        AppTemplate.builder("app:1", 80)
            .companion(Companion.builder("c", "c:1", 1).resources(new Resources(1, 2, 3)).build())
            .build();
    assertThat(TemplateCodec.readTemplate(TemplateCodec.write(bare))).isEqualTo(bare);
  }

  @Test
  void codec_features_keepTypes() {
    Map<String, Object> features = Map.of("flag", true, "count", 5L, "text", "a \"quoted\" é");
    assertThat(TemplateCodec.readFeatures(TemplateCodec.writeFeatures(features)))
        .containsExactlyEntriesOf(new TreeMap<>(features));
  }

  @Test
  void codec_storedDocumentNotJson_failsClearly() {
    assertThatThrownBy(() -> TemplateCodec.readFeatures(JSONB.valueOf("{nope")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not JSON");
  }
}
