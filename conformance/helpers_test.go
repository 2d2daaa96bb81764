package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
)

// Environment variables that point the tests at Prism (see doc.go).
const (
	envV1           = "SENDERPOOL_PRISM_V1_URL"
	envV2           = "SENDERPOOL_PRISM_V2_URL"
	envV2010        = "SENDERPOOL_PRISM_V2010_URL" // twilio_api_v2010.json: the api.twilio.com host
	envV1Control    = "SENDERPOOL_PRISM_V1_CONTROL_URL"
	envV2Control    = "SENDERPOOL_PRISM_V2_CONTROL_URL"
	envV2010Control = "SENDERPOOL_PRISM_V2010_CONTROL_URL"
	envRequire      = "SENDERPOOL_REQUIRE_PRISM"
)

// SIDs of the spec's examples: Prism validates the shape of every SID it
// receives, and answers with these very values.
const (
	exampleAccount = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	exampleAPIKey  = "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	exampleService = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	exampleSender  = "XEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	examplePN      = "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	exampleSC      = "SCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	exampleAI      = "AIaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	exampleQE      = "QE2c6890da8086d771620e9b13fadeba0b" // the campaign of the spec's examples
	exampleSecret  = "conformance-secret"                 // Prism only checks that Basic auth is present
	exampleNumber  = "whatsapp:+12487960483"
)

// requestTimeout bounds every test's traffic: Prism answers in
// milliseconds, so anything near this is a hang, not slowness.
const requestTimeout = 30 * time.Second

const startHint = `start Prism with: eval "$(conformance/prism.sh start)" (needs Node 20 and npm), then rerun; conformance/prism.sh stop ends it`

// prismURL returns the base URL of a Prism mock named by env, or skips the
// test (fails it under SENDERPOOL_REQUIRE_PRISM). The mock must answer.
func prismURL(t *testing.T, env string) string {
	t.Helper()
	u := os.Getenv(env)
	if u == "" {
		msg := env + " is not set, so Twilio's contract is not checked: " + startHint
		if os.Getenv(envRequire) != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	u = strings.TrimRight(u, "/")
	parsed, err := url.Parse(u)
	if err != nil || parsed.Host == "" {
		t.Fatalf("%s=%q is not a URL like http://127.0.0.1:4010", env, u)
	}
	// A set variable with nothing behind it is a broken set-up, not a skip.
	conn, err := net.DialTimeout("tcp", parsed.Host, 3*time.Second)
	if err != nil {
		t.Fatalf("%s=%s but nothing answers there (%v): %s", env, u, err, startHint)
	}
	conn.Close()
	return u
}

// controlURL is where the negative controls go: a mock of their own, so
// that the clean mocks' logs hold only requests that must pass. Without
// one, the clean mock serves, and its log then holds intended rejections.
func controlURL(t *testing.T, env, cleanEnv string) string {
	t.Helper()
	if os.Getenv(env) == "" {
		u := prismURL(t, cleanEnv)
		t.Logf("%s is not set: the negative controls go to %s, whose log will then show rejections (prism.sh check would fail)", env, cleanEnv)
		return u
	}
	return prismURL(t, env)
}

// testContext bounds a test's requests.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), requestTimeout)
	t.Cleanup(cancel)
	return ctx
}

// exchange is one request as it went on the wire, and Prism's answer.
type exchange struct {
	host         string // host:port it went to
	method, path string
	query        url.Values
	rawQuery     string
	header       http.Header
	body         string
	status       int
	respBody     []byte
}

func (e exchange) String() string {
	s := e.method + " " + e.path
	if e.rawQuery != "" {
		s += "?" + e.rawQuery
	}
	return fmt.Sprintf("%s → %d", s, e.status)
}

// recorder is an http.RoundTripper that keeps every exchange, so a test
// can check the exact request our code sent and that Prism accepted it.
type recorder struct {
	next http.RoundTripper

	mu        sync.Mutex
	exchanges []exchange
}

// newRecorder sends directly, never through a proxy: the mocks are on
// loopback.
func newRecorder(t *testing.T) *recorder {
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	t.Cleanup(tr.CloseIdleConnections)
	return &recorder{next: tr}
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		// A RoundTripper must not change the caller's request: send a copy.
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	r.mu.Lock()
	r.exchanges = append(r.exchanges, exchange{
		host: req.URL.Host, method: req.Method, path: req.URL.Path, query: req.URL.Query(), rawQuery: req.URL.RawQuery,
		header: req.Header.Clone(), body: string(body), status: resp.StatusCode, respBody: respBody,
	})
	r.mu.Unlock()
	return resp, nil
}

// take returns the exchanges so far and forgets them.
func (r *recorder) take() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.exchanges
	r.exchanges = nil
	return out
}

// checkAccepted fails the test for every exchange Prism did not answer
// with a 2xx, showing Prism's reasons (its problem+json body).
func checkAccepted(t *testing.T, exs []exchange) {
	t.Helper()
	for _, e := range exs {
		if e.status < 200 || e.status > 299 {
			t.Errorf("Prism rejected %s: %s", e, e.respBody)
		}
	}
}

// newClient builds the real client on base, through rec. Retries are off:
// Prism never sends 429 or 503, and a failure should show at once.
func newClient(t *testing.T, base string, creds api.Credentials, rec *recorder) *api.Client {
	t.Helper()
	c, err := api.New(api.Config{
		Credentials: creds,
		BaseURL:     base,
		HTTPClient:  &http.Client{Transport: rec},
		Retry:       api.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		t.Fatalf("api.New(%s): %v", base, err)
	}
	return c
}

// rawRequest is a request made by hand, without our client.
type rawRequest struct {
	method, url string
	user, pass  string // Basic auth; none when user is ""
	contentType string
	body        string
	header      map[string]string
}

// rawResponse is an answer, body read.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

func do(ctx context.Context, r rawRequest) (rawResponse, error) {
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return rawResponse{}, err
	}
	if r.user != "" {
		req.SetBasicAuth(r.user, r.pass)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return rawResponse{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return rawResponse{}, err
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// ---- JSON shapes ----

// shapeDiff compares two decoded JSON documents by shape: the same keys
// in every object (recursively, arrays element by element against the
// merged elements of the other side) and the same kind of value where
// neither is null. a is "ours", b is Prism's. diffs are real
// differences; unchecked lists the objects and arrays left uncompared
// because the other side is null or an empty array.
func shapeDiff(a, b any) (diffs, unchecked []string) {
	d := map[string]bool{}
	u := map[string]bool{}
	compareShape("$", a, b, d, u)
	return slices.Sorted(maps.Keys(d)), slices.Sorted(maps.Keys(u))
}

func compareShape(path string, a, b any, diffs, unchecked map[string]bool) {
	if a == nil || b == nil {
		// Any field may be null. Only a structure left unvisited is worth
		// telling; a scalar's kind is all there was to compare.
		if ka, kb := kind(a), kind(b); ka == "object" || ka == "array" || kb == "object" || kb == "array" {
			unchecked[fmt.Sprintf("%s: ours %s, Prism's %s", path, ka, kb)] = true
		}
		return
	}
	if ka, kb := kind(a), kind(b); ka != kb {
		diffs[fmt.Sprintf("%s: ours is %s, Prism's is %s", path, ka, kb)] = true
		return
	}
	switch av := a.(type) {
	case map[string]any:
		bv := b.(map[string]any)
		for k := range av {
			if _, ok := bv[k]; !ok {
				diffs[fmt.Sprintf("%s: key %q only in ours", path, k)] = true
			}
		}
		for k := range bv {
			if _, ok := av[k]; !ok {
				diffs[fmt.Sprintf("%s: key %q only in Prism's", path, k)] = true
			}
		}
		for k := range av {
			if _, ok := bv[k]; ok {
				compareShape(path+"."+k, av[k], bv[k], diffs, unchecked)
			}
		}
	case []any:
		bv := b.([]any)
		if len(av) == 0 || len(bv) == 0 {
			if len(av) != 0 || len(bv) != 0 {
				unchecked[fmt.Sprintf("%s: ours has %d items, Prism's %d", path, len(av), len(bv))] = true
			}
			return
		}
		ma, mb := mergeAll(av), mergeAll(bv)
		for _, e := range av {
			compareShape(path+"[]", e, mb, diffs, unchecked)
		}
		for _, e := range bv {
			compareShape(path+"[]", ma, e, diffs, unchecked)
		}
	}
}

// mergeAll folds array items into one value holding every key any item
// has, so items are compared with what their list holds at all.
func mergeAll(items []any) any {
	var m any
	for _, it := range items {
		m = merge(m, it)
	}
	return m
}

func merge(a, b any) any {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		out := make(map[string]any, len(am))
		for k, v := range am {
			out[k] = v
		}
		for k, v := range bm {
			out[k] = merge(out[k], v)
		}
		return out
	}
	aa, aok := a.([]any)
	ba, bok := b.([]any)
	if aok && bok {
		return []any{merge(mergeAll(aa), mergeAll(ba))}
	}
	return a
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

// decodeJSON decodes a body that must be JSON.
func decodeJSON(what string, b []byte) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s: not JSON (%v): %.300s", what, err, b)
	}
	if dec.More() {
		return nil, errors.New(what + ": more than one JSON value")
	}
	return v, nil
}
