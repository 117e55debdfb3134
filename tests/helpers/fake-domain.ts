/**
 * Import this before kurento-client to use its explicit transactions on Node 20 and later.
 *
 * kurento-client 7.3's TransactionsManager makes `Transaction` inherit from `require('domain').Domain` with
 * `Domain.call(this)`; since Node made Domain an ES class that throws "Class constructor Domain cannot be invoked
 * without 'new'" (reference §0.3). Without `domain.Domain` the client falls back to its own FakeDomain, an
 * EventEmitter, which is all a transaction needs. This is a client bug, not a server behaviour: only tests that drive
 * `beginTransaction()` / `client.transaction()` load this, and it only affects their own process.
 */
import domain from 'node:domain';

(domain as unknown as { Domain?: unknown }).Domain = undefined;
