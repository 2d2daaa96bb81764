package change

import "github.com/senderpool/senderpool/bulk"

// SetBatchOptions tunes the batches' backoff (Concurrency aside), so that
// tests need not wait out real pauses.
func SetBatchOptions(c *Client, o bulk.Options) { c.batch = o }
