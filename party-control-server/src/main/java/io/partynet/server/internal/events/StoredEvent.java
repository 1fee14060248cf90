package io.partynet.server.internal.events;

import java.util.Set;

/**
 * One numbered event as a journal stores it (see {@link EventHub.EventJournal}): the frame sent to
 * {@code recipients}. An instance sharing its database writes these and hands the ones it reads
 * back (its own or another instance's) to {@link EventHub#applyCommitted}.
 */
public record StoredEvent(String partyId, long seq, String frame, Set<String> recipients) {}
