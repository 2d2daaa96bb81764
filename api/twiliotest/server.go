package twiliotest

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server serves a Fake on a loopback port over plain HTTP.
type Server struct {
	URL string // http://127.0.0.1:port

	fake   *Fake
	srv    *http.Server
	cancel context.CancelFunc // ends every request context: unblocks FaultHang and Latency
	served chan struct{}      // closed when Serve has returned

	mu       sync.Mutex
	closed   bool
	handlers sync.WaitGroup
}

// Start listens on 127.0.0.1:0 and serves f until Close.
func Start(f *Fake) (*Server, error) { return Listen(f, "127.0.0.1:0") }

// TB is the part of testing.TB that Serve needs; *testing.T, *testing.B
// and *testing.F have it. An interface, so that the demo, which imports
// this package, does not link package testing.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Serve starts f on a loopback port for a test and closes it when the test
// ends; it fails the test if the port cannot be had. Tests start the fake
// this way rather than with Start or httptest, so that every one gets
// Close's guarantees (hanging requests ended, no goroutine left).
func Serve(tb TB, f *Fake) *Server {
	tb.Helper()
	s, err := Start(f)
	if err != nil {
		tb.Fatalf("twiliotest: serving the fake: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Listen serves f on addr (host:port) until Close.
func Listen(f *Fake, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		URL:    "http://" + ln.Addr().String(),
		fake:   f,
		cancel: cancel,
		served: make(chan struct{}),
	}
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ConnState:         f.ConnState,
		// Dropped connections are the point of some faults; do not log them.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// Fake returns the fake the server serves.
func (s *Server) Fake() *Fake { return s.fake }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		panic(http.ErrAbortHandler)
	}
	s.handlers.Add(1)
	s.mu.Unlock()
	defer s.handlers.Done()
	s.fake.ServeHTTP(w, r)
}

// Close stops the server: it cancels every request in flight (hanging ones
// included), closes every connection and waits for the handlers to return,
// so no goroutine of the server outlives it. It is safe to call twice.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	_ = s.srv.Close() // closes the listener and every connection
	<-s.served
	s.handlers.Wait()
}

// ConnState counts new connections for Connections. Start installs it; to
// count with an httptest.Server, set srv.Config.ConnState = fake.ConnState
// before starting it.
func (f *Fake) ConnState(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		f.mu.Lock()
		f.conns++
		f.mu.Unlock()
	}
}
