package io.queues4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * Turns JMH's JSON output into the results table (Markdown, engine beside baseline, with the
 * ratio) and a PNG chart, headless, with {@code java.awt} and {@code javax.imageio} only.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.queues4j.benchmarks.ChartRenderer \
 *     results.json docs/benchmarks.png > table.md
 * }</pre>
 *
 * <p>JMH {@code EVENTS} counters (latency percentiles, bytes per message) are averaged over the
 * iterations' raw values (JMH's own score for them is their sum). Backlog scores in ms per backlog
 * are turned into messages per second.
 */
public final class ChartRenderer {
  private static final Color ENGINE = new Color(0x2E6FD8);
  private static final Color BASELINE = new Color(0x9A9A9A);

  private ChartRenderer() {}

  /**
   * Renders.
   *
   * @param args the JMH JSON file, the PNG to write
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ChartRenderer <jmh-result.json> <chart.png>");
      System.exit(2);
    }
    System.setProperty("java.awt.headless", "true");
    JsonNode root = Fixtures.MAPPER.readTree(Files.readString(Path.of(args[0])));
    List<Row> rows = rows(root);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    printTable(rows, out);
    render(rows, Path.of(args[1]));
  }

  /** One compared figure: engine and baseline. */
  record Row(String label, String unit, boolean higherIsBetter, double engine, double engineError,
      double baseline, double baselineError) {
    double ratio() {
      return engine / baseline;
    }
  }

  static List<Row> rows(JsonNode root) {
    // key: label -> impl -> [value, error, unit, higherIsBetter]
    Map<String, Map<String, Object[]>> figures = new LinkedHashMap<>();
    for (JsonNode run : root) {
      String benchmark = shortName(run.get("benchmark").asText());
      Map<String, String> params = new TreeMap<>();
      String impl = "engine";
      JsonNode p = run.get("params");
      if (p != null) {
        for (Map.Entry<String, JsonNode> e : p.properties()) {
          if (e.getKey().equals("impl")) {
            impl = e.getValue().asText();
          } else {
            params.put(e.getKey(), e.getValue().asText());
          }
        }
      }
      String suffix = params.isEmpty() ? "" : " " + params;
      JsonNode primary = run.get("primaryMetric");
      String unit = primary.get("scoreUnit").asText();
      double score = primary.get("score").asDouble();
      double error = finite(primary.get("scoreError").asDouble());
      if (unit.equals("ms/op") && params.containsKey("backlog")) {
        double backlog = Double.parseDouble(params.get("backlog"));
        double perSecond = backlog * 1000 / score;
        error = perSecond * error / score;
        score = perSecond;
        unit = "msg/s";
      } else if (unit.equals("ops/s")) {
        unit = "msg/s";
      }
      boolean primaryUseful = !benchmark.endsWith("footprint");
      if (primaryUseful) {
        put(figures, benchmark + suffix, impl, score, error, unit, unit.endsWith("/s"));
      }
      JsonNode secondary = run.get("secondaryMetrics");
      if (secondary != null) {
        for (Map.Entry<String, JsonNode> e : secondary.properties()) {
          if (e.getKey().startsWith("gc.") && !e.getKey().equals("gc.alloc.rate.norm")) {
            continue; // of -prof gc, only the bytes allocated per message matter here
          }
          JsonNode m = e.getValue();
          String mUnit = m.get("scoreUnit").asText();
          double value;
          double mError;
          if (mUnit.equals("#")) {
            double[] raw = raw(m.get("rawData"));
            value = mean(raw);
            mError = raw.length > 1 ? stddev(raw, value) : 0;
            mUnit = e.getKey().matches("p[0-9]+") ? "us" : e.getKey().contains("Nanos") ? "ns" : "B";
          } else {
            value = m.get("score").asDouble();
            mError = finite(m.get("scoreError").asDouble());
            mUnit = mUnit.equals("ops/s") ? "msg/s" : mUnit;
            if (mUnit.equals("B/op") && params.containsKey("backlog")) {
              double backlog = Double.parseDouble(params.get("backlog"));
              value /= backlog;
              mError /= backlog;
              mUnit = "B/msg";
            }
          }
          put(figures, benchmark + ":" + e.getKey() + suffix, impl, value, mError, mUnit,
              mUnit.endsWith("/s"));
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object[]>> e : figures.entrySet()) {
      Object @Nullable [] engine = e.getValue().get("engine");
      Object @Nullable [] baseline = e.getValue().get("baseline");
      if (engine == null || baseline == null) {
        continue;
      }
      rows.add(new Row(e.getKey(), (String) engine[2], (Boolean) engine[3], (Double) engine[0],
          (Double) engine[1], (Double) baseline[0], (Double) baseline[1]));
    }
    return rows;
  }

  private static void put(Map<String, Map<String, Object[]>> figures, String label, String impl,
      double value, double error, String unit, boolean higherIsBetter) {
    figures.computeIfAbsent(label, k -> new LinkedHashMap<>())
        .put(impl, new Object[] {value, error, unit, higherIsBetter});
  }

  private static String shortName(String benchmark) {
    int method = benchmark.lastIndexOf('.');
    int type = benchmark.lastIndexOf('.', method - 1);
    return benchmark.substring(type + 1, method).replace("Benchmark", "")
        + benchmark.substring(method);
  }

  private static double finite(double d) {
    return Double.isFinite(d) ? d : 0;
  }

  private static double[] raw(JsonNode rawData) {
    List<Double> values = new ArrayList<>();
    for (JsonNode fork : rawData) {
      for (JsonNode v : fork) {
        values.add(v.asDouble());
      }
    }
    double[] result = new double[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i);
    }
    return result;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }

  private static double stddev(double[] values, double mean) {
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return Math.sqrt(sum / (values.length - 1));
  }

  static String format(double value) {
    double a = Math.abs(value);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", value / 1e6);
    }
    if (a >= 1e4) {
      return String.format(Locale.ROOT, "%.0fk", value / 1e3);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static void printTable(List<Row> rows, PrintStream out) {
    out.println("| Benchmark | Unit | Engine | Baseline | Engine / baseline |");
    out.println("|---|---|---:|---:|---:|");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "| %s | %s | %s ± %s | %s ± %s | %.2f |%n", r.label(), r.unit(),
          format(r.engine()), format(r.engineError()), format(r.baseline()),
          format(r.baselineError()), r.ratio());
    }
  }

  /** The label column: at least 480 pixels, wide enough for the longest label. */
  private static int labelWidth(List<Row> rows) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      FontMetrics metrics = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int longest = 0;
      for (Row r : rows) {
        longest = Math.max(longest, metrics.stringWidth(r.label() + " (" + r.unit() + ")"));
      }
      return Math.max(480, longest + 24);
    } finally {
      g.dispose();
    }
  }

  static void render(List<Row> rows, Path png) throws IOException {
    int rowHeight = 34;
    int labelWidth = labelWidth(rows);
    int barWidth = 520;
    int width = labelWidth + barWidth + 170;
    int top = 60;
    int height = top + rows.size() * rowHeight + 40;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString("queues4j engine (blue) vs baseline (grey): each pair scaled to its larger value",
          12, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString("right column: engine / baseline (for msg/s higher is better; for us, ns, B lower"
          + " is better)", 12, 44);
      int y = top;
      for (Row r : rows) {
        double max = Math.max(r.engine(), r.baseline());
        g.setColor(Color.BLACK);
        g.drawString(r.label() + " (" + r.unit() + ")", 12, y + 20);
        int ew = max <= 0 ? 0 : (int) (barWidth * r.engine() / max);
        int bw = max <= 0 ? 0 : (int) (barWidth * r.baseline() / max);
        g.setColor(ENGINE);
        g.fillRect(labelWidth, y + 4, Math.max(1, ew), 12);
        g.setColor(BASELINE);
        g.fillRect(labelWidth, y + 17, Math.max(1, bw), 12);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawString(format(r.engine()), labelWidth + ew + 4, y + 15);
        g.drawString(format(r.baseline()), labelWidth + bw + 4, y + 28);
        boolean better = r.higherIsBetter() ? r.ratio() >= 1 : r.ratio() <= 1;
        g.setColor(better ? new Color(0x1B7F3A) : new Color(0xB3261E));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(String.format(Locale.ROOT, "%.2fx", r.ratio()), labelWidth + barWidth + 90,
            y + 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        y += rowHeight;
      }
    } finally {
      g.dispose();
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(image, "png", png.toFile());
  }
}
