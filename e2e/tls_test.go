package e2e

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// Names a hostile certificate carries: a window title, an OSC 52
// clipboard write, a screen clear and a line of its own that passes for
// one of ours. Go's x509 errors quote a certificate's DNS names as they
// are.
var hostileCertNames = []string{
	"\x1b]0;pwned\x07",
	"\x1b]52;c;ZWNobyBwd25lZA==\x07",
	"\x1b[2J\x1b[H",
	"x\nsenderpool: attached XE0123456789abcdef0123456789abcdef\r",
}

// hostileCert is a self-signed certificate made now, whose DNS names and
// subject hold escape sequences, and which is valid for none of Twilio's
// hosts.
func hostileCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject: pkix.Name{
			CommonName:   hostileCertNames[0],
			Organization: []string{hostileCertNames[2] + "\u202eevil"},
		},
		DNSNames:              hostileCertNames,
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tlsServer accepts TLS connections with cert on loopback and completes
// each handshake it is offered; it serves nothing else.
func tlsServer(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				_ = c.(*tls.Conn).Handshake()
				_, _ = io.Copy(io.Discard, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// connectProxy is an HTTP proxy that answers every CONNECT itself by
// connecting to upstream, whatever host was asked for: the position of a
// proxy (or anyone on the path) that answers TLS with its own certificate.
// It records the hosts it was asked for.
type connectProxy struct {
	url      string
	mu       sync.Mutex
	requests []string
}

func (p *connectProxy) asked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests)
}

func startConnectProxy(t *testing.T, upstream string) *connectProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{url: "http://" + ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.serve(c, upstream)
			}()
		}
	}()
	return p
}

func (p *connectProxy) serve(c net.Conn, upstream string) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	p.mu.Lock()
	p.requests = append(p.requests, req.Method+" "+req.Host)
	p.mu.Unlock()
	if req.Method != http.MethodConnect {
		_, _ = io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
		return
	}
	up, err := net.Dial("tcp", upstream)
	if err != nil {
		_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer up.Close()
	_ = up.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, br); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

// proxyEnv points the program's HTTPS requests at proxy, and at nothing
// else the machine may have set.
func proxyEnv(proxy string) []string {
	return []string{
		"HTTPS_PROXY=" + proxy, "https_proxy=" + proxy,
		"HTTP_PROXY=", "http_proxy=", "NO_PROXY=", "no_proxy=", "ALL_PROXY=", "all_proxy=",
	}
}

// TestTLSCertificateNamesStayInert: behind a proxy that answers TLS itself
// with a self-signed certificate whose names hold escape sequences, the
// program's requests to the default host fail (exit 1) and say why, and
// the names they quote reach stderr as visible, inert text: no title
// change, no clipboard write, no cleared screen.
func TestTLSCertificateNamesStayInert(t *testing.T) {
	upstream := tlsServer(t, hostileCert(t))
	proxy := startConnectProxy(t, upstream)
	creds := []string{"TWILIO_ACCOUNT_SID=" + twiliotest.DemoAccountSID, "TWILIO_AUTH_TOKEN=" + twiliotest.DemoAuthToken}
	tests := []struct {
		name  string
		env   []string
		stdin string
		args  []string
	}{
		{"services", creds, "", []string{"services"}},
		{"services --json", creds, "", []string{"services", "--json"}},
		{"list", creds, "", []string{"list", "--service", twiliotest.DemoServiceNotifications}},
		{"list --json", creds, "", []string{"list", "--service", twiliotest.DemoServiceNotifications, "--json"}},
		{"login", []string{"SENDERPOOL_PASSPHRASE=" + passphrase}, canary + "\n",
			[]string{"login", "--profile", "p", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(proxy.asked())
			code, stdout, stderr := runBin(t, append(proxyEnv(proxy.url), tt.env...), strings.NewReader(tt.stdin), append(tt.args, "--timeout", "20s")...)
			asked := proxy.asked()[before:]
			if len(asked) == 0 || !slices.Contains(asked, "CONNECT messaging.twilio.com:443") {
				t.Fatalf("the proxy was asked %q, want CONNECT messaging.twilio.com:443 (stderr %q)", asked, stderr)
			}
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr %q", code, stderr)
			}
			if !strings.Contains(stderr, "x509") || !strings.Contains(stderr, `\x1b]0;pwned`) {
				t.Errorf("stderr does not quote the certificate's names, inert: %q", stderr)
			}
			checkInert(t, tt.name+": stderr", stderr, false)
			if n := strings.Count(stderr, "\n"); n != 1 {
				t.Errorf("the error spans %d lines: a name in the certificate started a line: %q", n, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.Contains(stdout+stderr, canary) {
				t.Error("the secret was printed")
			}
		})
	}
}
