package io.minispod.broker;

/** The {@code X-Broker-API-Version} check. */
final class ApiVersion {

  private static final int MAJOR = 2;
  private static final int MIN_MINOR = 13;

  private ApiVersion() {}

  static void require(String header) {
    if (!supported(header)) {
      throw new ServiceBrokerException(
          412,
          null,
          "X-Broker-API-Version "
              + (header == null ? "is missing" : "'" + header + "' is not supported")
              + ": this broker speaks the Open Service Broker API "
              + ServiceBroker.MIN_API_VERSION
              + " to "
              + ServiceBroker.API_VERSION
              + "; send X-Broker-API-Version: "
              + ServiceBroker.API_VERSION);
    }
  }

  private static boolean supported(String header) {
    if (header == null) {
      return false;
    }
    String[] parts = header.trim().split("\\.", -1);
    if (parts.length != 2) {
      return false;
    }
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = Integer.parseInt(parts[1]);
      return major == MAJOR && minor >= MIN_MINOR;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
