package io.minispod.catalog.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.billing.CurrencyScales;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.PlanDraft;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class AppTemplateTest {

  private static final TemplateContext CONTEXT =
      new TemplateContext(
          "k3x9q2.apps.example.com",
          "https",
          Map.of("encryption-key", "s3cr3t", "db-password", "pw", "db-root-password", "root"),
          Map.of("mysql", "ghost-k3x9q2-mysql"));

  @Test
  void resolveEnv_n8nSeed_fillsHostUrlAndSecret() {
    Map<String, String> env = CatalogSeed.n8nTemplate().resolveEnv(CONTEXT);
    assertThat(env)
        .containsEntry("N8N_HOST", "k3x9q2.apps.example.com")
        .containsEntry("N8N_PROTOCOL", "https")
        .containsEntry("WEBHOOK_URL", "https://k3x9q2.apps.example.com/")
        .containsEntry("N8N_ENCRYPTION_KEY", "s3cr3t")
        .containsEntry("N8N_PORT", "5678")
        .containsEntry("GENERIC_TIMEZONE", "UTC");
  }

  @Test
  void resolveEnv_ghostSeed_fillsCompanionHostAndSharedPassword() {
    AppTemplate ghost = CatalogSeed.ghostTemplate();
    assertThat(ghost.resolveEnv(CONTEXT))
        .containsEntry("url", "https://k3x9q2.apps.example.com")
        .containsEntry("database__connection__host", "ghost-k3x9q2-mysql")
        .containsEntry("database__connection__password", "pw");
    Companion mysql = ghost.companions().get(0);
    assertThat(mysql.resolveEnv(CONTEXT))
        .containsEntry("MYSQL_PASSWORD", "pw")
        .containsEntry("MYSQL_ROOT_PASSWORD", "root")
        .containsEntry("MYSQL_DATABASE", "ghost");
  }

  @Test
  void resolveEnv_contextLacksSecret_failsNamingIt() {
    TemplateContext bare = new TemplateContext("h", "http", null, null);
    assertThat(bare.url()).isEqualTo("http://h");
    assertThatThrownBy(() -> CatalogSeed.n8nTemplate().resolveEnv(bare))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encryption-key");
    assertThatThrownBy(
            () ->
                CatalogSeed.ghostTemplate()
                    .resolveEnv(new TemplateContext("h", "http", CONTEXT.secretValues(), null)))
        .hasMessageContaining("companion 'mysql'");
  }

  @Test
  void resolveEnv_valueWithDollarSigns_isCopiedLiterally() {
    AppTemplate template =
        AppTemplate.builder("app:1", 80).env("PRICE", "costs $5 \\ ${host}").build();
    assertThat(template.resolveEnv(CONTEXT))
        .containsEntry("PRICE", "costs $5 \\ k3x9q2.apps.example.com");
  }

  @Test
  void isManaged_listedOrPlaceholderKeys_areManaged() {
    AppTemplate template =
        AppTemplate.builder("app:1", 80)
            .managedEnv("FIXED", "1")
            .env("HOST", "${host}")
            .env("FREE", "x")
            .build();
    assertThat(template.isManaged("FIXED")).isTrue();
    assertThat(template.isManaged("HOST")).isTrue();
    assertThat(template.isManaged("FREE")).isFalse();
    assertThat(template.isManaged("UNKNOWN")).isFalse();
  }

  @Test
  void secretEnv_ghostSeed_namesThePasswordVariable() {
    assertThat(CatalogSeed.ghostTemplate().secretEnv())
        .containsExactly("database__connection__password");
    assertThat(CatalogSeed.n8nTemplate().secretEnv()).containsExactly("N8N_ENCRYPTION_KEY");
  }

  @Test
  void defaults_onlyImageAndPort_fillTheRest() {
    AppTemplate template = AppTemplate.builder("app:1", 8080).build();
    assertThat(template.volumePath()).isEqualTo(AppTemplate.DEFAULT_VOLUME_PATH);
    assertThat(template.readiness()).isEqualTo(Probe.tcp(8080));
    assertThat(template.liveness()).isEqualTo(Probe.tcp(8080));
    assertThat(template.runAs()).isEqualTo(RunAs.NODE);
    assertThat(template.env()).isEmpty();
    assertThat(template.secrets()).isEmpty();
    assertThat(template.companions()).isEmpty();
    Companion companion = Companion.builder("db", "postgres:17", 5432).build();
    assertThat(companion.readiness()).isEqualTo(Probe.tcp(5432));
    assertThat(companion.runAs()).isEqualTo(RunAs.NODE);
    assertThat(companion.env()).isEmpty();
  }

  @Test
  void probe_factories_setKindAndTiming() {
    Probe http = Probe.http("/healthz", 80).withTiming(1, 2, 3, 4).withHeader("X-A", "b");
    assertThat(http.kind()).isEqualTo(Probe.Kind.HTTP);
    assertThat(http.httpHeaders()).containsEntry("X-A", "b");
    assertThat(http.initialDelaySeconds()).isEqualTo(1);
    assertThat(http.failureThreshold()).isEqualTo(4);
    Probe exec = Probe.exec("mysqladmin", "ping");
    assertThat(exec.command()).containsExactly("mysqladmin", "ping");
    assertThat(exec.port()).isZero();
  }

  @Test
  void generate_secret_usesItsAlphabetAndLength() {
    SecureRandom random = new SecureRandom();
    String alnum = GeneratedSecret.alphanumeric("k", 48).generate(random);
    assertThat(alnum).hasSize(48).matches("[A-Za-z0-9]+");
    String hex = new GeneratedSecret("h", 32, GeneratedSecret.Alphabet.HEX).generate(random);
    assertThat(hex).hasSize(32).matches("[0-9a-f]+");
    assertThat(GeneratedSecret.alphanumeric("k", 48).generate(random)).isNotEqualTo(alnum);
  }

  @Test
  void templateContext_missingHost_isRefused() {
    assertThatThrownBy(() -> new TemplateContext(null, "https", null, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void seed_templates_pinRealImagesAndUseNonRootIds() {
    assertThat(CatalogSeed.N8N_IMAGE).matches("n8nio/n8n:2\\.\\d+\\.\\d+");
    assertThat(CatalogSeed.GHOST_IMAGE).matches("ghost:6\\.\\d+\\.\\d+-alpine");
    assertThat(CatalogSeed.MYSQL_IMAGE).matches("mysql:8\\.\\d+\\.\\d+");
    AppTemplate n8n = CatalogSeed.n8nTemplate();
    assertThat(n8n.port()).isEqualTo(5678);
    assertThat(n8n.volumePath()).isEqualTo("/home/node/.n8n");
    assertThat(n8n.readiness().path()).isEqualTo("/healthz/readiness");
    assertThat(n8n.liveness().path()).isEqualTo("/healthz");
    assertThat(n8n.runAs()).isEqualTo(new RunAs(1000, 1000, 1000));
    assertThat(n8n.env())
        .containsKeys("N8N_HOST", "N8N_PROTOCOL", "WEBHOOK_URL", "N8N_ENCRYPTION_KEY");
    AppTemplate ghost = CatalogSeed.ghostTemplate();
    assertThat(ghost.port()).isEqualTo(2368);
    assertThat(ghost.volumePath()).isEqualTo("/var/lib/ghost/content");
    assertThat(ghost.readiness().path()).isEqualTo("/ghost/api/admin/site/");
    assertThat(ghost.env()).containsKey("url");
    assertThat(ghost.companions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.image()).isEqualTo(CatalogSeed.MYSQL_IMAGE);
              assertThat(c.volumePath()).isEqualTo("/var/lib/mysql");
            });
    assertThat(CatalogSeed.plans("n8n", CurrencyScales.iso4217()))
        .extracting(PlanDraft::slug)
        .containsExactly("basic", "pro", "business");
    assertThat(CatalogSeed.plans("ghost", CurrencyScales.iso4217()))
        .extracting(PlanDraft::tier)
        .containsExactly(1, 2, 3);
    assertThat(CatalogSeed.plans("other", CurrencyScales.iso4217())).isEmpty();
  }
}
