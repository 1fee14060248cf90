/**
 * The one test kit of PartyNet, used in test scope by every module.
 *
 * <ul>
 *   <li>{@link io.partynet.testing.ManualClock} and {@link io.partynet.testing.Eventually}: time
 *       that moves only when the test says so, and bounded polling instead of sleeps.
 *   <li>{@link io.partynet.testing.FakeNetworkBackend}: a backend that records what the SDK
 *       configures and carries nothing.
 *   <li>{@link io.partynet.testing.PartyEventRecorder} and
 *       {@link io.partynet.testing.ControlPlaneEventRecorder}: record every callback, take them in
 *       order, and {@code assertExhausted()} that nothing else arrived.
 *   <li>{@link io.partynet.testing.ManagerHarness}: a JUnit 5 extension that builds members through
 *       the public {@code PartyManager.builder()} on a control plane the test chooses and closes
 *       everything after each test.
 *   <li>{@link io.partynet.testing.JvmProcess}: a main class (the CLI, an embedding example) run
 *       as a real JVM, its output awaited line by line.
 *   <li>{@link io.partynet.testing.lab}: the network-namespace lab and its {@code @LabTest}
 *       annotation.
 * </ul>
 *
 * <p>Where fixtures live, and why (Maven forbids cycles, also in test scope): this module depends
 * on {@code party-api} only, so party-core and every other module can use it. The control plane
 * server fixture needs the server, so it stays in party-control-server's own test sources; suites
 * that need the manager, both control planes and the server together live in {@code party-it}.
 */
package io.partynet.testing;
