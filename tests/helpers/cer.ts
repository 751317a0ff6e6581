/** Character error rate, shared with the bench. */
export * from '../../bench/cer.js';
