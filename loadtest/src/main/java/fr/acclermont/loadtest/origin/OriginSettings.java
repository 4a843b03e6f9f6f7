package fr.acclermont.loadtest.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.demo.OriginProfile;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How an {@link OriginSimulator} listens and behaves: the demo origin's address and seed, the
 * school's uplink, the added latency, the random faults and the profile (plain HTTP, or HTTPS and
 * compression as a publisher's CDN). Immutable; built with
 * {@link #builder()}.
 */
public final class OriginSettings {

  /** How far above 1 a sum of decimal shares may land from binary rounding alone. */
  private static final double SHARE_ROUNDING = 1e-9;

  private final String host;
  private final int port;
  private final long seed;
  private final Bandwidth bandwidth;
  private final Duration latency;
  private final double failRate;
  private final double resetRate;
  private final double stallRate;
  private final Duration stall;
  private final OriginProfile profile;
  private final Path caFile;

  OriginSettings(Builder builder) {
    this.host = builder.host;
    this.port = builder.port;
    this.seed = builder.seed;
    this.bandwidth = builder.bandwidth;
    this.latency = builder.latency;
    this.failRate = builder.failRate;
    this.resetRate = builder.resetRate;
    this.stallRate = builder.stallRate;
    this.stall = builder.stall;
    this.profile = builder.profile;
    this.caFile = builder.caFile;
  }

  /**
   * Returns a builder of an origin without shaping: {@code 127.0.0.1}, an ephemeral port, seed 1,
   * unlimited bandwidth, no latency, no faults, stalls of 5 s, the plain profile. (The {@code origin} command's own
   * defaults are a school's uplink, 100mbit and 20ms.)
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the address to bind. */
  public String host() {
    return host;
  }

  /** Returns the port to bind; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** Returns the seed of the catalog, of the content and of the random faults. */
  public long seed() {
    return seed;
  }

  /** Returns the total rate shared by every connection. */
  public Bandwidth bandwidth() {
    return bandwidth;
  }

  /** Returns the delay before each response's first byte. */
  public Duration latency() {
    return latency;
  }

  /** Returns the share of content requests answered 503. */
  public double failRate() {
    return failRate;
  }

  /** Returns the share of content requests whose connection is reset mid-body. */
  public double resetRate() {
    return resetRate;
  }

  /** Returns the share of content requests whose body pauses mid-way for {@link #stall()}. */
  public double stallRate() {
    return stallRate;
  }

  /** Returns how long a stalled body pauses before the rest follows. */
  public Duration stall() {
    return stall;
  }

  /** Returns the origin's profile: plain HTTP, or the CDN's HTTPS and compression. */
  public OriginProfile profile() {
    return profile;
  }

  /** Returns where a TLS profile writes its CA's certificate, or {@code null} for a temporary file. */
  public Path caFile() {
    return caFile;
  }

  /**
   * Returns whether shares of the same requests add up to at most 1, give or take the rounding
   * of decimal fractions (0.1 + 0.2 + 0.7 is 1.0000000000000002 in binary).
   */
  static boolean sharesFit(double... shares) {
    double total = 0;
    for (double share : shares) {
      total += share;
    }
    return total <= 1 + SHARE_ROUNDING;
  }

  /** Returns the sum of {@code shares} as a person would write it, e.g. {@code 1.1}. */
  static String total(double... shares) {
    double total = 0;
    for (double share : shares) {
      total += share;
    }
    return BigDecimal.valueOf(total).round(new MathContext(9)).stripTrailingZeros().toPlainString();
  }

  @Override
  public String toString() {
    return "OriginSettings{" + host + ":" + port + ", seed=" + seed + ", bandwidth=" + bandwidth
        + ", latency=" + latency + ", failRate=" + failRate + ", resetRate=" + resetRate
        + ", stallRate=" + stallRate + ", stall=" + stall + ", profile=" + profile
        + (caFile == null ? "" : ", caFile=" + caFile) + "}";
  }

  /** Builds {@link OriginSettings}; each setter validates its value. Not thread-safe. */
  public static final class Builder {

    private String host = "127.0.0.1";
    private int port;
    private long seed = 1;
    private Bandwidth bandwidth = Bandwidth.unlimited();
    private Duration latency = Duration.ZERO;
    private double failRate;
    private double resetRate;
    private double stallRate;
    private Duration stall = Duration.ofSeconds(5);
    private OriginProfile profile = OriginProfile.PLAIN;
    private Path caFile;

    Builder() {}

    /** Sets the address to bind, a host name or an IP literal. */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** Sets the port to bind, 0 for an ephemeral one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
      }
      this.port = port;
      return this;
    }

    /** Sets the seed of the catalog, content and faults. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Sets the total rate shared by every connection. */
    public Builder bandwidth(Bandwidth bandwidth) {
      this.bandwidth = requireNonNull(bandwidth, "bandwidth");
      return this;
    }

    /** Sets the delay before each response's first byte. */
    public Builder latency(Duration latency) {
      this.latency = nonNegative("latency", latency);
      return this;
    }

    /** Sets the share of content requests answered 503, 0 to 1. */
    public Builder failRate(double failRate) {
      this.failRate = share("failRate", failRate);
      return this;
    }

    /** Sets the share of content requests reset mid-body, 0 to 1. */
    public Builder resetRate(double resetRate) {
      this.resetRate = share("resetRate", resetRate);
      return this;
    }

    /** Sets the share of content requests paused mid-body, 0 to 1. */
    public Builder stallRate(double stallRate) {
      this.stallRate = share("stallRate", stallRate);
      return this;
    }

    /** Sets how long a stalled body pauses. */
    public Builder stall(Duration stall) {
      this.stall = nonNegative("stall", stall);
      return this;
    }

    /** Sets the profile: plain HTTP (the default) or a CDN's HTTPS and compression. */
    public Builder profile(OriginProfile profile) {
      this.profile = requireNonNull(profile, "profile");
      return this;
    }

    /** Sets the file a TLS profile writes its throw-away CA's certificate (PEM) to. */
    public Builder caFile(Path caFile) {
      this.caFile = requireNonNull(caFile, "caFile");
      return this;
    }

    /**
     * Returns the settings.
     *
     * @throws IllegalArgumentException if the three fault rates add up to more than 1 (they are
     *     shares of the same requests), or a CA file is set for a profile without TLS
     */
    public OriginSettings build() {
      if (caFile != null && !profile.tls()) {
        throw new IllegalArgumentException("caFile: " + caFile + " (expected: only with a TLS profile)");
      }
      if (!sharesFit(failRate, resetRate, stallRate)) {
        throw new IllegalArgumentException("failRate + resetRate + stallRate: "
            + total(failRate, resetRate, stallRate) + " (expected: <= 1)");
      }
      return new OriginSettings(this);
    }

    private static double share(String name, double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: 0-1)");
      }
      return value;
    }

    private static Duration nonNegative(String name, Duration value) {
      requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
      }
      return value;
    }
  }
}
