package keystore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/senderpool/senderpool/internal/safefile"
)

// ConfigFileName is the name of the config file inside the config dir.
const ConfigFileName = "config.json"

// configVersion is the format written; newer files are refused, not mangled.
const configVersion = 1

// configFile is the on-disk shape of config.json. It never holds a secret.
type configFile struct {
	Version        int       `json:"version"`
	DefaultProfile string    `json:"default_profile,omitempty"`
	Profiles       []Profile `json:"profiles"`
}

func (c *configFile) index(name string) int {
	return slices.IndexFunc(c.Profiles, func(p Profile) bool { return p.Name == name })
}

func (c *configFile) upsert(p Profile) {
	if i := c.index(p.Name); i >= 0 {
		c.Profiles[i] = p
	} else {
		c.Profiles = append(c.Profiles, p)
	}
	slices.SortFunc(c.Profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
}

func (c *configFile) remove(name string) {
	if i := c.index(name); i >= 0 {
		c.Profiles = slices.Delete(c.Profiles, i, i+1)
	}
	if c.DefaultProfile == name {
		c.DefaultProfile = ""
		if len(c.Profiles) > 0 {
			c.DefaultProfile = c.Profiles[0].Name
		}
	}
}

// load reads the config file. A missing file (or dir) is an empty config.
// The dir and the file are checked first: the file must be a regular one
// of at most MaxConfigSize, and neither may be another user's or writable
// by group or others (Unix), which is ErrConfigUnsafe. Anything that does
// not parse, or holds invalid profiles, is ErrConfigCorrupt. The message
// names the file, which is never rewritten here.
func (s *Store) load(ctx context.Context) (*configFile, error) {
	path := s.ConfigFile()
	err := configFiles().CheckDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return &configFile{Version: configVersion}, nil
	}
	if err != nil {
		return nil, err
	}
	data, fi, err := safefile.ReadRegular(ctx, s.open, path, MaxConfigSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &configFile{Version: configVersion}, nil
	case errors.Is(err, safefile.ErrNotRegular):
		return nil, fmt.Errorf("%w: %w: senderpool reads only a regular file there (it holds no secrets: move it aside to start over)", ErrConfigUnsafe, err)
	case errors.Is(err, safefile.ErrTooLarge):
		return nil, fmt.Errorf("%w: %s is larger than 1 MiB, far more than a config of profiles can be (it holds no secrets: move it aside to start over)",
			ErrConfigCorrupt, path)
	case err != nil:
		return nil, fmt.Errorf("reading config file %s: %w", path, err)
	}
	if err := configFiles().CheckPrivate(path, fi); err != nil {
		return nil, err
	}
	return parseConfig(path, data)
}

// parseConfig checks and decodes the config file's content.
func parseConfig(path string, data []byte) (*configFile, error) {
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s (it holds no secrets: fix it, or move it aside to start over)",
			ErrConfigCorrupt, path, fmt.Sprintf(format, args...))
	}
	var c configFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&c); err != nil {
		return nil, corrupt("%v", err)
	}
	if dec.More() {
		return nil, corrupt("unexpected data after the JSON object")
	}
	if c.Version > configVersion {
		return nil, corrupt("format version %d is newer than this senderpool understands (%d): upgrade senderpool", c.Version, configVersion)
	}
	if c.Version < 1 {
		return nil, corrupt("missing or bad \"version\"")
	}
	seen := map[string]bool{}
	for _, p := range c.Profiles {
		if err := p.Validate(); err != nil {
			return nil, corrupt("%v", err)
		}
		if seen[p.Name] {
			return nil, corrupt("profile %q appears twice", p.Name)
		}
		seen[p.Name] = true
	}
	if c.DefaultProfile != "" && !seen[c.DefaultProfile] {
		return nil, corrupt("default profile %q is not among the profiles", c.DefaultProfile)
	}
	slices.SortFunc(c.Profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	return &c, nil
}

// saveConfig writes c to dir/config.json atomically, creating dir (0700) if
// needed. The file is 0600.
func saveConfig(dir string, c *configFile) error {
	c.Version = configVersion
	if c.Profiles == nil {
		c.Profiles = []Profile{}
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding config: %w", err)
	}
	data = append(data, '\n')
	if err := configFiles().EnsureDir(dir); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, ConfigFileName), data)
}
