package io.partynet.examples.swing;

import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.JComponent;
import javax.swing.JTable;
import javax.swing.table.TableCellRenderer;

/**
 * The ping column: a rounded bar that is full and green for a short round trip and shrinks and
 * turns amber, then red, as it grows (or as probes get lost), with the round trip, its jitter and
 * any loss beside it ("23 ±2 ms", "80 ±9 ms 12%"); nothing for the local member, a grey "—" while
 * not measured. Event dispatch thread only, like every Swing renderer.
 */
final class PingBar extends JComponent implements TableCellRenderer {
  /** A round trip at or under this is a full bar. */
  static final double FULL_MS = 30;
  /** At or over this the bar is at its shortest. */
  static final double EMPTY_MS = 250;
  static final Color GOOD = new Color(0x2E, 0xA0, 0x43);
  static final Color FAIR = new Color(0xE3, 0xA0, 0x08);
  static final Color POOR = new Color(0xD1, 0x3B, 0x3B);
  private static final Color TRACK = new Color(0xE6, 0xE8, 0xEB);

  private MemberTableModel.Row row;

  /** The fraction of the bar to fill for {@code latencyMs}: 1 at {@link #FULL_MS}, 0.1 at {@link #EMPTY_MS}. */
  static double fill(double latencyMs) {
    double t = (Math.min(Math.max(latencyMs, FULL_MS), EMPTY_MS) - FULL_MS) / (EMPTY_MS - FULL_MS);
    return 1 - 0.9 * t;
  }

  /** Green, amber or red by round trip; loss of 2 % or more is at least amber, 10 % or more red. */
  static Color color(double latencyMs, double loss) {
    if (loss >= 0.10 || latencyMs >= 150) {
      return POOR;
    }
    return loss >= 0.02 || latencyMs >= 80 ? FAIR : GOOD;
  }

  static String text(MemberTableModel.Row row) {
    if (row.self()) {
      return "";
    }
    if (row.latencyMs() == null) {
      return "\u2014";
    }
    String jitter = row.jitterMs() == null ? "" : " \u00b1" + Math.round(row.jitterMs());
    String loss = row.loss() >= 0.01 ? " " + Math.round(row.loss() * 100) + "%" : "";
    return Math.round(row.latencyMs()) + jitter + " ms" + loss;
  }

  @Override
  public Component getTableCellRendererComponent(JTable table, Object value, boolean isSelected, boolean hasFocus,
      int rowIndex, int column) {
    row = (MemberTableModel.Row) value;
    setFont(table.getFont());
    // The look and feel's own renderer knows the row's background (Nimbus stripes alternate rows).
    Component plain = table.getDefaultRenderer(String.class)
        .getTableCellRendererComponent(table, "", isSelected, false, rowIndex, column);
    setBackground(plain.getBackground());
    setForeground(isSelected ? table.getSelectionForeground() : table.getForeground());
    return this;
  }

  @Override
  public Dimension getPreferredSize() {
    return new Dimension(230, 22);
  }

  @Override
  protected void paintComponent(Graphics g) {
    Graphics2D g2 = (Graphics2D) g.create();
    try {
      g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g2.setColor(getBackground());
      g2.fillRect(0, 0, getWidth(), getHeight());
      if (row == null || row.self()) {
        return;
      }
      FontMetrics fm = g2.getFontMetrics(getFont());
      int textWidth = fm.stringWidth("000 \u00b100 ms 00%");
      int barWidth = Math.max(20, getWidth() - textWidth - 18);
      int barHeight = 8;
      int x = 6;
      int y = (getHeight() - barHeight) / 2;
      g2.setColor(TRACK);
      g2.fillRoundRect(x, y, barWidth, barHeight, barHeight, barHeight);
      if (row.latencyMs() != null) {
        g2.setColor(color(row.latencyMs(), row.loss()));
        g2.fillRoundRect(x, y, (int) Math.round(barWidth * fill(row.latencyMs())), barHeight, barHeight, barHeight);
      }
      g2.setFont(getFont());
      g2.setColor(row.latencyMs() == null ? Color.GRAY : getForeground());
      g2.drawString(text(row), x + barWidth + 8, (getHeight() + fm.getAscent() - fm.getDescent()) / 2);
    } finally {
      g2.dispose();
    }
  }
}
