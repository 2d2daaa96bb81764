package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// pageMsg carries one page of a list as it arrives, or the end of the list
// (done, with the listing's error if any). next reads the following page;
// a model that drops a stale pageMsg simply does not run next, and the
// producer goroutine ends when the request's context is cancelled.
type pageMsg[T any] struct {
	req   int
	items []T
	done  bool
	err   error
	next  tea.Cmd
}

// listFunc is a paged listing such as api.Client.ListChannelSendersPages
// with its arguments already bound.
type listFunc[T any] func(ctx context.Context, fn func(page []T) error) error

// streamPages runs list in the background and returns its pages one
// message at a time, so the first page paints while later ones load.
func streamPages[T any](ctx context.Context, req int, list listFunc[T]) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan pageMsg[T])
		go func() {
			defer close(ch)
			send := func(m pageMsg[T]) bool {
				select {
				case ch <- m:
					return true
				case <-ctx.Done():
					return false
				}
			}
			err := list(ctx, func(page []T) error {
				if !send(pageMsg[T]{req: req, items: page}) {
					return ctx.Err()
				}
				return nil
			})
			send(pageMsg[T]{req: req, done: true, err: err})
		}()
		return readPage(ch)()
	}
}

func readPage[T any](ch <-chan pageMsg[T]) tea.Cmd {
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		if !m.done {
			m.next = readPage(ch)
		}
		return m
	}
}
