/**
 * The consumer check as a named module: it needs only the API module; the implementation, the
 * control plane and the backend are found with ServiceLoader (run with
 * {@code --add-modules ALL-MODULE-PATH} so that they and their dependencies are resolved).
 */
module io.partynet.examples.consumer {
  requires io.partynet;
}
