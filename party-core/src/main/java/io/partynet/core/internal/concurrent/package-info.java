/** Small concurrency helpers shared by the SDK's parts. Internal. */
package io.partynet.core.internal.concurrent;
