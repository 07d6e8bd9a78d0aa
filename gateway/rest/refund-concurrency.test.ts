import { describeRefundConcurrency } from './refund-concurrency-suite';

// The memory store here; a durable store passes { name, store } to run the same guarantees on it.
describeRefundConcurrency();
