/** Identifier system that carries an outbox entry's idempotency key into the created resource. A module of its own: pages read it without the upload code. */
export const IDEMPOTENCY_SYSTEM = 'urn:housecall:idempotency';
