/** The bench's real Redis server, shared with the tests. */
export * from '../../bench/redis-server.js';
