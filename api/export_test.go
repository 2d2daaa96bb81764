package api

import (
	"context"
	"time"
)

// Hooks for package api_test: the waits between attempts and the jitter
// are replaced so that tests never depend on the wall clock.

func SetWait(c *Client, fn func(ctx context.Context, d time.Duration) error) { c.wait = fn }

func SetJitter(c *Client, fn func(max time.Duration) time.Duration) { c.jitter = fn }

func SetMaxPages(c *Client, n int) { c.maxPages = n }

func SetMaxItems(c *Client, n int) { c.maxItems = n }

func Backoff(c *Client, attempt int) time.Duration { return c.backoff(attempt) }

var (
	ParseRetryAfter = parseRetryAfter
	SleepCtx        = sleepCtx
	NewJitter       = newJitter
)

const (
	MaxSuccessBody = maxSuccessBody
	MaxErrorBody   = maxErrorBody
	MaxRetryAfter  = maxRetryAfter
	PageSize       = pageSize
	MaxEmptyPages  = maxEmptyPages
)
