package io.queues4j.benchmarks;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The chart of {@link PostgresBenchmark}: throughput bars (floor grey, engine blue, each with its
 * ratio to the best floor) and latency bars, headless, {@code java.awt} only.
 */
final class PostgresChart {
  private static final Color FLOOR = new Color(0x9A9A9A);
  private static final Color ENGINE = new Color(0x2E6FD8);
  private static final Color LATENCY = new Color(0xD8812E);

  private PostgresChart() {}

  static void render(Map<String, Double> results, double floor, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Map.Entry<String, Double>> throughput = new ArrayList<>();
    List<Map.Entry<String, Double>> latency = new ArrayList<>();
    for (Map.Entry<String, Double> e : results.entrySet()) {
      if (e.getKey().endsWith("(msg/s)")) {
        throughput.add(e);
      } else if (e.getKey().startsWith("latency") && !e.getKey().contains("99.9")) {
        latency.add(e);
      }
    }
    int rowHeight = 30;
    int width = 1000;
    int height = 90 + rowHeight * (throughput.size() + latency.size()) + 60;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("queue-postgres: throughput (msg/s, ratio to the best raw-JDBC floor)", 20, 28);
    int y = 50;
    double max = throughput.stream().mapToDouble(Map.Entry::getValue).max().orElse(1);
    y = bars(g, throughput, max, y, rowHeight, e -> e.getKey().startsWith("floor") ? FLOOR
        : ENGINE, e -> String.format(Locale.ROOT, "%,.0f  (%.2f)", e.getValue(),
            e.getValue() / floor));
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("send-to-handler latency at 1,000 msg/s (ms)", 20, y + 30);
    double maxLatency = latency.stream().mapToDouble(Map.Entry::getValue).max().orElse(1);
    bars(g, latency, maxLatency, y + 50, rowHeight, e -> LATENCY,
        e -> String.format(Locale.ROOT, "%.2f", e.getValue()));
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static int bars(Graphics2D g, List<Map.Entry<String, Double>> rows, double max, int y,
      int rowHeight, java.util.function.Function<Map.Entry<String, Double>, Color> color,
      java.util.function.Function<Map.Entry<String, Double>, String> label) {
    int labelWidth = 380;
    int barWidth = 440;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (Map.Entry<String, Double> e : rows) {
      String name = e.getKey().replaceAll(" \\((msg/s|ms)\\)$", "");
      g.setColor(Color.BLACK);
      g.drawString(name, 20, y + 18);
      int w = (int) Math.max(1, barWidth * e.getValue() / max);
      g.setColor(color.apply(e));
      g.fillRect(labelWidth, y + 4, w, rowHeight - 10);
      g.setColor(Color.BLACK);
      g.drawString(label.apply(e), labelWidth + w + 8, y + 18);
      y += rowHeight;
    }
    return y;
  }
}
