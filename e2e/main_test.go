package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// builds is where this test process keeps the binaries it built; TestMain
// makes it and removes it.
var builds *builder

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "senderpool-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	builds = &builder{dir: dir, byTags: map[string]*build{}}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// builder builds senderpool at most once per set of build tags.
type builder struct {
	dir    string
	mu     sync.Mutex
	byTags map[string]*build
}

type build struct {
	once sync.Once
	path string
	err  error
}

// binary is the senderpool binary built with tags (none: the real thing).
func binary(t testing.TB, tags ...string) string {
	t.Helper()
	key := strings.Join(tags, ",")
	builds.mu.Lock()
	b, ok := builds.byTags[key]
	if !ok {
		b = &build{}
		builds.byTags[key] = b
	}
	builds.mu.Unlock()
	b.once.Do(func() {
		name := "senderpool"
		if key != "" {
			name += "-" + strings.ReplaceAll(key, ",", "-")
		}
		b.path = filepath.Join(builds.dir, name)
		args := []string{"build", "-o", b.path}
		if key != "" {
			args = append(args, "-tags", key)
		}
		env := append(os.Environ(), "CGO_ENABLED=0")
		if raceBuild {
			args, env = append(args, "-race"), os.Environ() // the race detector needs cgo
		}
		cmd := exec.Command("go", append(args, "github.com/senderpool/senderpool")...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", key, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// crashBinary is senderpool with the test-only crash keys (f11, f12).
func crashBinary(t testing.TB) string { return binary(t, "senderpool_crashtest") }

func requireTool(t testing.TB, name, env string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv(env) == "1" {
			t.Fatalf("%s is required (%s=1) but not installed", name, env)
		}
		t.Skipf("%s not installed; set %s=1 to make this a failure", name, env)
	}
}
