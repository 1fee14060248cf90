package io.partynet.examples.swing;

import io.partynet.ConnectionType;
import io.partynet.PartyStatus;
import io.partynet.PeerStatus;
import java.util.ArrayList;
import java.util.List;
import javax.swing.table.AbstractTableModel;

/**
 * The member table: one row per member of the current party, in join order, replaced as a whole
 * from each {@link PartyStatus}. Swing models are single-threaded: use it on the event dispatch
 * thread only.
 */
final class MemberTableModel extends AbstractTableModel {
  static final int PLAYER = 0;
  static final int ADDRESS = 1;
  static final int PATH = 2;
  static final int PING = 3;
  private static final String[] COLUMNS = {"Player", "Address", "Path", "Ping"};

  /**
   * One member as the table shows it; {@code latencyMs} and {@code jitterMs} (milliseconds) are
   * null until measured, {@code loss} is the lost fraction of the link-quality probes (0..1).
   */
  record Row(String name, boolean self, boolean host, String virtualIp, ConnectionType path, Double latencyMs,
      Double jitterMs, double loss) {
    String label() {
      return name + (self ? " (you)" : "") + (host ? "  \u2605" : "");
    }
  }

  private List<Row> rows = List.of();

  void show(PartyStatus status) {
    List<Row> next = new ArrayList<>();
    for (PeerStatus p : status.peers()) {
      next.add(new Row(p.peer().name(), p.self(), p.peer().id().equals(status.hostId()), p.peer().virtualIp(),
          p.peer().connectionType(), p.peer().latencyMs(),
          p.linkQuality() == null ? null : p.linkQuality().jitterMs(),
          p.linkQuality() == null ? 0 : p.linkQuality().loss()));
    }
    rows = List.copyOf(next);
    fireTableDataChanged();
  }

  void clear() {
    rows = List.of();
    fireTableDataChanged();
  }

  Row row(int index) {
    return rows.get(index);
  }

  @Override
  public int getRowCount() {
    return rows.size();
  }

  @Override
  public int getColumnCount() {
    return COLUMNS.length;
  }

  @Override
  public String getColumnName(int column) {
    return COLUMNS[column];
  }

  @Override
  public Class<?> getColumnClass(int column) {
    return column == PING ? Row.class : String.class;
  }

  @Override
  public Object getValueAt(int rowIndex, int column) {
    Row row = rows.get(rowIndex);
    return switch (column) {
      case PLAYER -> row.label();
      case ADDRESS -> row.virtualIp() == null ? "" : row.virtualIp();
      case PATH -> pathText(row);
      case PING -> row;
      default -> throw new IndexOutOfBoundsException("column " + column);
    };
  }

  /** How the path to a member reads in the table: the local member has none. */
  static String pathText(Row row) {
    if (row.self()) {
      return "";
    }
    return switch (row.path()) {
      case DIRECT -> "direct";
      case RELAY -> "relayed";
      case NONE -> "connecting\u2026";
    };
  }
}
