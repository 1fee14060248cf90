/**
 * A desktop launcher window in plain Swing: create or join a party, copy the invite code, and a
 * live table of the members with the path to each (direct or relayed) and a ping bar. Everything
 * that touches Swing runs on the event dispatch thread; SDK callbacks and futures hand their
 * results over with {@link javax.swing.SwingUtilities#invokeLater}.
 */
package io.partynet.examples.swing;
