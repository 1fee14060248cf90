/** The smallest complete program that embeds the PartyNet SDK. */
package io.partynet.examples.minimal;
