/**
 * {@code party doctor}: checks of the machine and the network a member runs on, each with a
 * verdict and a fix. Uses the public API only (party-api and its SPI), like the rest of the CLI.
 */
package io.partynet.examples.cli.doctor;
