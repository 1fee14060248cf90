package io.partynet.examples.swing;

import io.partynet.ConnectionType;
import io.partynet.Party;
import io.partynet.PartyStatus;
import io.partynet.PeerStatus;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.SwingConstants;
import javax.swing.Timer;
import javax.swing.table.DefaultTableCellRenderer;

/**
 * The launcher window: a lobby (host a party, or join one with an invite code) and the party view
 * (name, invite code with a copy button, the member table, leave). It only displays; the
 * {@link PartySession} given to {@link #attach} does the work. Event dispatch thread only.
 */
final class LauncherWindow extends JFrame implements PartySession.View {
  private static final String LOBBY = "lobby";
  private static final String PARTY = "party";
  private static final Color ERROR = new Color(0xB0, 0x2A, 0x2A);
  private static final Color MUTED = new Color(0x5F, 0x66, 0x6D);

  private final CardLayout cards = new CardLayout();
  private final JPanel content = new JPanel(cards);
  private final JTextField partyName = new JTextField("Friday night", 16);
  private final JButton createButton = new JButton("Create party");
  private final JTextField inviteCodeField = new JTextField(14);
  private final JTextField playerName;
  private final JButton joinButton = new JButton("Join party");
  private final JLabel lobbyMessage = new JLabel(" ");
  private final JLabel partyTitle = new JLabel();
  private final JLabel inviteCode = new JLabel();
  private final JButton copyButton = new JButton("Copy");
  private final MemberTableModel members = new MemberTableModel();
  private final JTable memberTable = new JTable(members);
  private final JLabel summary = new JLabel(" ");
  private final JButton leaveButton = new JButton("Leave party");
  private PartySession session;

  LauncherWindow(String defaultPlayerName) {
    super("PartyNet launcher");
    playerName = new JTextField(defaultPlayerName, 12);
    content.add(lobby(), LOBBY);
    content.add(party(), PARTY);
    setContentPane(content);
    setSize(new Dimension(640, 430));
  }

  /** Wires the buttons to {@code partySession} and starts it. */
  void attach(PartySession partySession) {
    this.session = partySession;
    createButton.addActionListener(e -> session.create(partyName.getText().trim()));
    joinButton.addActionListener(e -> session.join(inviteCodeField.getText(), playerName.getText()));
    inviteCodeField.addActionListener(e -> joinButton.doClick());
    leaveButton.addActionListener(e -> session.leave());
    copyButton.addActionListener(e -> copyInviteCode());
    session.start();
  }

  private JComponent lobby() {
    JPanel panel = new JPanel(new GridBagLayout());
    panel.setBorder(BorderFactory.createEmptyBorder(24, 32, 24, 32));
    GridBagConstraints c = new GridBagConstraints();
    c.gridx = 0;
    c.gridwidth = 3;
    c.anchor = GridBagConstraints.WEST;
    c.insets = new Insets(0, 0, 4, 0);
    panel.add(heading("Play together", 22f), c);
    JLabel tagline = new JLabel("A private network for you and your friends: no ports to open, no server to run.");
    tagline.setForeground(MUTED);
    c.insets = new Insets(0, 0, 20, 0);
    panel.add(tagline, c);

    c.insets = new Insets(8, 0, 6, 0);
    panel.add(heading("Host a party", 14f), c);
    c.gridwidth = 1;
    c.insets = new Insets(0, 0, 0, 8);
    c.gridy = 3;
    panel.add(new JLabel("Party name"), c);
    c.gridx = 1;
    c.fill = GridBagConstraints.HORIZONTAL;
    c.weightx = 1;
    panel.add(partyName, c);
    c.gridx = 2;
    c.fill = GridBagConstraints.NONE;
    c.weightx = 0;
    panel.add(createButton, c);

    c.gridx = 0;
    c.gridy = 4;
    c.gridwidth = 3;
    c.insets = new Insets(22, 0, 6, 0);
    panel.add(heading("Join a friend", 14f), c);
    c.gridwidth = 1;
    c.insets = new Insets(0, 0, 6, 8);
    c.gridy = 5;
    panel.add(new JLabel("Invite code"), c);
    c.gridx = 1;
    c.fill = GridBagConstraints.HORIZONTAL;
    inviteCodeField.setFont(new Font(Font.MONOSPACED, Font.BOLD, 14));
    inviteCodeField.setToolTipText("Like 7KQ2-M9XD-4RTX");
    panel.add(inviteCodeField, c);
    c.gridx = 0;
    c.gridy = 6;
    c.fill = GridBagConstraints.NONE;
    panel.add(new JLabel("Your name"), c);
    c.gridx = 1;
    c.fill = GridBagConstraints.HORIZONTAL;
    panel.add(playerName, c);
    c.gridx = 2;
    c.fill = GridBagConstraints.NONE;
    panel.add(joinButton, c);

    c.gridx = 0;
    c.gridy = 7;
    c.gridwidth = 3;
    c.weighty = 1;
    c.anchor = GridBagConstraints.NORTHWEST;
    c.insets = new Insets(20, 0, 0, 0);
    panel.add(lobbyMessage, c);
    return panel;
  }

  private JComponent party() {
    JPanel panel = new JPanel(new BorderLayout(0, 12));
    panel.setBorder(BorderFactory.createEmptyBorder(18, 20, 16, 20));

    JPanel header = new JPanel(new BorderLayout());
    partyTitle.setFont(partyTitle.getFont().deriveFont(Font.BOLD, 20f));
    header.add(partyTitle, BorderLayout.NORTH);
    JPanel code = new JPanel(new GridBagLayout());
    GridBagConstraints c = new GridBagConstraints();
    c.insets = new Insets(6, 0, 0, 10);
    JLabel codeLabel = new JLabel("Invite code");
    codeLabel.setForeground(MUTED);
    code.add(codeLabel, c);
    inviteCode.setFont(new Font(Font.MONOSPACED, Font.BOLD, 18));
    code.add(inviteCode, c);
    copyButton.setToolTipText("Copy the invite code, then send it to your friends");
    code.add(copyButton, c);
    c.weightx = 1;
    code.add(new JLabel(), c);
    header.add(code, BorderLayout.SOUTH);
    panel.add(header, BorderLayout.NORTH);

    memberTable.setRowHeight(28);
    memberTable.setFillsViewportHeight(true);
    memberTable.setShowVerticalLines(false);
    memberTable.setFocusable(false);
    memberTable.getTableHeader().setReorderingAllowed(false);
    memberTable.setDefaultRenderer(Object.class, new PathAwareRenderer());
    memberTable.setDefaultRenderer(String.class, new PathAwareRenderer());
    memberTable.setDefaultRenderer(MemberTableModel.Row.class, new PingBar());
    memberTable.getColumnModel().getColumn(MemberTableModel.PLAYER).setPreferredWidth(190);
    memberTable.getColumnModel().getColumn(MemberTableModel.ADDRESS).setPreferredWidth(110);
    memberTable.getColumnModel().getColumn(MemberTableModel.PATH).setPreferredWidth(100);
    memberTable.getColumnModel().getColumn(MemberTableModel.PING).setPreferredWidth(180);
    panel.add(new JScrollPane(memberTable), BorderLayout.CENTER);

    JPanel footer = new JPanel(new BorderLayout());
    summary.setForeground(MUTED);
    footer.add(summary, BorderLayout.CENTER);
    footer.add(leaveButton, BorderLayout.EAST);
    panel.add(footer, BorderLayout.SOUTH);
    return panel;
  }

  private static JLabel heading(String text, float size) {
    JLabel label = new JLabel(text);
    label.setFont(label.getFont().deriveFont(Font.BOLD, size));
    return label;
  }

  private void copyInviteCode() {
    Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(inviteCode.getText()), null);
    copyButton.setText("Copied");
    Timer restore = new Timer(1500, e -> copyButton.setText("Copy"));
    restore.setRepeats(false);
    restore.start();
  }

  private void setLobbyEnabled(boolean enabled) {
    for (JComponent c : new JComponent[] {partyName, createButton, inviteCodeField, playerName, joinButton}) {
      c.setEnabled(enabled);
    }
  }

  @Override
  public void showLobby(String notice) {
    members.clear();
    setLobbyEnabled(true);
    lobbyMessage.setForeground(MUTED);
    lobbyMessage.setText(notice.isEmpty() ? " " : notice);
    leaveButton.setEnabled(true);
    cards.show(content, LOBBY);
  }

  @Override
  public void showBusy(String what) {
    setLobbyEnabled(false);
    leaveButton.setEnabled(false);
    lobbyMessage.setForeground(MUTED);
    lobbyMessage.setText(what);
    summary.setText(what);
  }

  @Override
  public void showParty(Party party) {
    partyTitle.setText(party.name());
    inviteCode.setText(party.id());
    leaveButton.setEnabled(true);
    summary.setText("Connecting\u2026");
    cards.show(content, PARTY);
  }

  @Override
  public void showStatus(PartyStatus status) {
    members.show(status);
    long connected = status.peers().stream()
        .filter(p -> !p.self() && p.peer().connectionType() != ConnectionType.NONE).count();
    String me = status.peers().stream().filter(PeerStatus::self).map(p -> p.peer().virtualIp())
        .filter(ip -> ip != null).findFirst().map(ip -> "  \u00b7  you are " + ip).orElse("");
    int others = status.peers().size() - 1;
    summary.setText(others == 0 ? "Waiting for friends \u2014 send them the invite code" + me
        : others + (others == 1 ? " friend, " : " friends, ") + connected + " connected" + me);
  }

  @Override
  public void showError(String message) {
    showLobby("");
    lobbyMessage.setForeground(ERROR);
    lobbyMessage.setText(message);
  }

  JTextField partyNameField() {
    return partyName;
  }

  JButton createButton() {
    return createButton;
  }

  JTextField inviteCodeField() {
    return inviteCodeField;
  }

  JTextField playerNameField() {
    return playerName;
  }

  JButton joinButton() {
    return joinButton;
  }

  JLabel inviteCodeLabel() {
    return inviteCode;
  }

  JButton copyButton() {
    return copyButton;
  }

  JButton leaveButton() {
    return leaveButton;
  }

  JLabel lobbyMessage() {
    return lobbyMessage;
  }

  JLabel summary() {
    return summary;
  }

  MemberTableModel members() {
    return members;
  }

  /** Colours the path column: green direct, amber relayed, grey while connecting. */
  private static final class PathAwareRenderer extends DefaultTableCellRenderer {
    @Override
    public Component getTableCellRendererComponent(JTable table, Object value, boolean isSelected, boolean hasFocus,
        int row, int column) {
      super.getTableCellRendererComponent(table, value, isSelected, false, row, column);
      setBorder(BorderFactory.createEmptyBorder(0, 8, 0, 8));
      setHorizontalAlignment(SwingConstants.LEFT);
      if (!isSelected) {
        setForeground(column == MemberTableModel.PATH ? pathColor(String.valueOf(value)) : table.getForeground());
      }
      setFont(column == MemberTableModel.PLAYER ? table.getFont().deriveFont(Font.BOLD) : table.getFont());
      return this;
    }

    private static Color pathColor(String path) {
      return switch (path) {
        case "direct" -> PingBar.GOOD.darker();
        case "relayed" -> PingBar.FAIR.darker();
        default -> MUTED;
      };
    }
  }
}
