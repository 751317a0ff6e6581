/**
 * Which errors of the queue's Redis client mean "Redis cannot be reached" (wait for it: the
 * worker pauses and resumes on its own) rather than a fault worth an operator's look (a Lua
 * script refused, a job's lock lost, a bug). ioredis passes the socket's errno codes through and
 * words its own refusals as below (ioredis built/Redis.js, utils CONNECTION_CLOSED_ERROR_MSG, errors/MaxRetriesPerRequestError.js).
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const CONNECTION_MESSAGES = /Connection is closed|Stream isn't writeable|Reached the max retries per request limit|connect ETIMEDOUT|getaddrinfo|socket hang up/i;

export function isConnectionError(error: Error & { code?: unknown }): boolean {
  return (typeof error.code === 'string' && CONNECTION_CODES.has(error.code)) || CONNECTION_MESSAGES.test(error.message);
}
