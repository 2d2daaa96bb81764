package twiliotest_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

func TestResponseFaults(t *testing.T) {
	cases := []struct {
		name  string
		fault twiliotest.Fault
		check func(t *testing.T, r reply)
	}{
		{"status 429 with Retry-After", twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 429, RetryAfter: "3"}, func(t *testing.T, r reply) {
			r.twilioError(t, 429, 20429)
			if r.header.Get("Retry-After") != "3" {
				t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
			}
		}},
		{"status 503 with code and message", twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503, Code: 20503, Message: "Service Unavailable, try later"}, func(t *testing.T, r reply) {
			m := r.twilioError(t, 503, 20503)
			if m["message"] != "Service Unavailable, try later" {
				t.Errorf("message = %v", m["message"])
			}
			if r.header.Get("Retry-After") != "" {
				t.Errorf("unexpected Retry-After")
			}
		}},
		{"status defaults to 500", twiliotest.Fault{Kind: twiliotest.FaultStatus}, func(t *testing.T, r reply) {
			r.twilioError(t, 500, 20500)
		}},
		{"HTML from a proxy", twiliotest.Fault{Kind: twiliotest.FaultHTML}, func(t *testing.T, r reply) {
			if r.status != 502 || r.header.Get("Content-Type") != "text/html" || !strings.Contains(string(r.body), "<html>") {
				t.Errorf("got %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
			}
		}},
		{"HTML 504", twiliotest.Fault{Kind: twiliotest.FaultHTML, Status: 504}, func(t *testing.T, r reply) {
			if r.status != 504 || !strings.Contains(string(r.body), "504 Gateway Timeout") {
				t.Errorf("got %d %q", r.status, r.body)
			}
		}},
		{"malformed JSON", twiliotest.Fault{Kind: twiliotest.FaultMalformedJSON}, func(t *testing.T, r reply) {
			if r.status != 200 || len(r.body) == 0 || json.Valid(r.body) {
				t.Errorf("got %d, valid=%v: %q", r.status, json.Valid(r.body), r.body)
			}
		}},
		{"empty body", twiliotest.Fault{Kind: twiliotest.FaultEmptyBody}, func(t *testing.T, r reply) {
			if r.status != 200 || len(r.body) != 0 {
				t.Errorf("got %d %q", r.status, r.body)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := smallFake()
			e := start(t, f)
			f.AddFault(twiliotest.RouteListServices, c.fault)
			c.check(t, e.get("/v1/Services"))
			e.get("/v1/Services").okJSON(t, 200) // once only
			if got := f.Requests(twiliotest.RouteListServices); got != 2 {
				t.Errorf("Requests = %d, want 2 (faulted ones count)", got)
			}
		})
	}
}

func TestFaultForeignNextPage(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	real := meta(t, e.get("/v1/Services?PageSize=1").okJSON(t, 200))["next_page_url"].(string)
	f.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultForeignNextPage, Times: 2})
	page := e.get("/v1/Services?PageSize=1").okJSON(t, 200)
	if got := len(items(t, page, "services")); got != 1 {
		t.Errorf("faulted page has %d services", got)
	}
	want := "http://evil.example.invalid" + strings.TrimPrefix(real, e.srv.URL)
	if got := meta(t, page)["next_page_url"]; got != want {
		t.Errorf("next_page_url = %v, want %s", got, want)
	}
	// Even a last page gets a foreign next page.
	last := e.get("/v1/Services?PageSize=1000").okJSON(t, 200)
	next, _ := meta(t, last)["next_page_url"].(string)
	if !strings.HasPrefix(next, twiliotest.ForeignBase+"/v1/Services?") {
		t.Errorf("last page next_page_url = %q", next)
	}
}

func rawRequest(t *testing.T, e *env, method, path, body string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second)) // a guard, not a wait
	auth := base64.StdEncoding.EncodeToString([]byte(testAccount + ":" + testToken))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: fake\r\nAuthorization: Basic %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		method, path, auth, len(body), body)
	return conn
}

func TestFaultDropClosesTheConnection(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	f.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultDrop})
	b, err := io.ReadAll(rawRequest(t, e, "GET", "/v1/Services", ""))
	if err != nil || len(b) != 0 {
		t.Fatalf("read %q, %v; want nothing, then EOF", b, err)
	}

	// Through net/http on a fresh connection (no transparent retry).
	f.AddFault(twiliotest.RouteFetchService, twiliotest.Fault{Kind: twiliotest.FaultDrop})
	if _, err := e.do(call{target: "/v1/Services/" + svcA}); err == nil {
		t.Errorf("client saw no error")
	}

	// A dropped attach did not happen.
	f.AddFault(twiliotest.RouteCreateChannelSender, twiliotest.Fault{Kind: twiliotest.FaultDrop})
	_, _ = io.ReadAll(rawRequest(t, e, "POST", "/v1/Services/"+svcA+"/ChannelSenders", "Sid="+xe(5)))
	if slices.Contains(f.AttachedSIDs(svcA), xe(5)) {
		t.Errorf("dropped attach changed the state")
	}
}

func TestFaultDropMidBody(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	f.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultDropMidBody})
	resp, err := http.ReadResponse(bufio.NewReader(rawRequest(t, e, "GET", "/v1/Services", "")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.ContentLength <= 0 {
		t.Errorf("status %d, Content-Length %d", resp.StatusCode, resp.ContentLength)
	}
	b, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) || int64(len(b)) >= resp.ContentLength || len(b) == 0 {
		t.Errorf("read %d of %d bytes, err %v; want part of the body then unexpected EOF", len(b), resp.ContentLength, err)
	}

	// The attach happened; only the reply was lost.
	f.AddFault(twiliotest.RouteCreateChannelSender, twiliotest.Fault{Kind: twiliotest.FaultDropMidBody})
	if _, err := e.do(attachTo(svcA, xe(5))); err == nil {
		t.Errorf("client read the whole body")
	}
	if !slices.Contains(f.AttachedSIDs(svcA), xe(5)) {
		t.Errorf("attach whose reply was cut did not take effect")
	}
}

func TestFaultHangEndsWithTheClient(t *testing.T) {
	for _, how := range []string{"hang", "latency"} {
		t.Run(how, func(t *testing.T) {
			f := smallFake()
			if how == "hang" {
				f.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultHang})
			} else {
				f.SetLatency(time.Hour)
			}
			// httptest.Server.Close waits for handlers and does not cancel
			// them: it returns only if the handler saw the client go.
			ts := httptest.NewServer(f)
			e := &env{t: t, fake: f, srv: &twiliotest.Server{URL: ts.URL}, client: ts.Client()}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				_, err := e.do(call{target: "/v1/Services", ctx: ctx})
				done <- err
			}()
			waitFor(t, "the request to arrive", func() bool { return f.Requests(twiliotest.RouteListServices) == 1 })
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("client err = %v", err)
			}
			within(t, "httptest.Server.Close", ts.Close)
		})
	}
}

func TestServerCloseUnblocksHang(t *testing.T) {
	f := smallFake()
	srv := twiliotest.Serve(t, f)
	f.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultHang})
	e := &env{t: t, fake: f, srv: srv, client: &http.Client{Transport: &http.Transport{}}}
	done := make(chan error, 1)
	go func() {
		_, err := e.do(call{target: "/v1/Services"})
		done <- err
	}()
	waitFor(t, "the request to arrive", func() bool { return f.Requests(twiliotest.RouteListServices) == 1 })
	within(t, "Server.Close", srv.Close)
	within(t, "the client", func() {
		if err := <-done; err == nil {
			t.Errorf("hanging request succeeded after Close")
		}
	})
	srv.Close() // twice is fine
}

func TestReleaseHangs(t *testing.T) {
	f := smallFake()
	f.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultHang})
	e := start(t, f)
	done := make(chan reply, 1)
	go func() {
		r, _ := e.do(call{target: "/v1/Services"})
		done <- r
	}()
	waitFor(t, "the request to arrive", func() bool { return f.Requests(twiliotest.RouteListServices) == 1 })
	f.ReleaseHangs()
	within(t, "the released request", func() {
		if r := <-done; r.status != 200 {
			t.Errorf("released request: %d %s", r.status, r.body)
		}
	})
}

func TestFaultTimes(t *testing.T) {
	s500 := twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500}
	s503 := twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503}
	cases := []struct {
		name   string
		faults []twiliotest.Fault
		want   []int // statuses of consecutive requests
	}{
		{"zero means once", []twiliotest.Fault{s500}, []int{500, 200, 200}},
		{"twice", []twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 500, Times: 2}}, []int{500, 500, 200}},
		{"negative until cleared", []twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 503, Times: -1}}, []int{503, 503, 503, 503, 503}},
		{"queue in order", []twiliotest.Fault{s500, s503}, []int{500, 503, 200}},
		{"queue with times", []twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 500, Times: 2}, s503}, []int{500, 500, 503, 200}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := smallFake()
			e := start(t, f)
			for _, fault := range c.faults {
				f.AddFault(twiliotest.RouteListServices, fault)
			}
			f.AddFault(twiliotest.RouteFetchService, s500) // other routes are not affected
			var got []int
			for range c.want {
				got = append(got, e.get("/v1/Services").status)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("statuses = %v, want %v", got, c.want)
			}
			f.ClearFaults()
			if r := e.get("/v1/Services"); r.status != 200 {
				t.Errorf("after ClearFaults: %d", r.status)
			}
			if r := e.get("/v1/Services/" + svcA); r.status != 200 {
				t.Errorf("ClearFaults left the FetchService fault: %d", r.status)
			}
		})
	}
}

// Faults sit in front of authentication, like a proxy would.
func TestFaultBeforeAuth(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	f.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503})
	e.must(call{target: "/v1/Services", noAuth: true}).twilioError(t, 503, 20503)
	e.must(call{target: "/v1/Services", noAuth: true}).twilioError(t, 401, twiliotest.CodeAuthenticate)
}

// Server.Close leaves no goroutine of the server behind, even with a
// request hanging.
func TestServerCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	f := smallFake()
	srv := twiliotest.Serve(t, f)
	tr := &http.Transport{}
	e := &env{t: t, fake: f, srv: srv, client: &http.Client{Transport: tr}}
	e.get("/v1/Services").okJSON(t, 200)
	f.AddFault(twiliotest.RouteFetchService, twiliotest.Fault{Kind: twiliotest.FaultHang})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = e.do(call{target: "/v1/Services/" + svcA})
	}()
	waitFor(t, "the hanging request", func() bool { return f.Requests(twiliotest.RouteFetchService) == 1 })
	srv.Close()
	<-done
	tr.CloseIdleConnections()
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}
